using System.Net;
using System.Net.Sockets;
using Aspire.Hosting;
using Hosting.Tests.Infrastructure;

namespace Hosting.Tests;

/// <summary>Each model or machine problem stops start-up with one message naming the resource and the fix.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public void Duplicate_names_are_rejected_ignoring_case()
    {
        var builder = TestApps.CreateBuilder(_data);
        builder.AddRedis("cache");

        var error = Assert.Throws<DistributedApplicationException>(() => builder.AddPostgres("Cache"));
        Assert.Contains("Cannot add resource 'Cache'", error.Message, StringComparison.Ordinal);
        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1st")]
    [InlineData("has space")]
    [InlineData("double--hyphen")]
    [InlineData("trailing-")]
    public void Invalid_names_are_rejected(string name)
    {
        var builder = TestApps.CreateBuilder(_data);
        var error = Assert.Throws<ArgumentException>(() => builder.AddRedis(name));
        Assert.Contains($"'{name}' is invalid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_waitfor_cycle_is_named_in_order()
    {
        var builder = TestApps.CreateBuilder(_data);
        var a = builder.AddExecutable("a", "sleep", ".", "10");
        var b = builder.AddExecutable("b", "sleep", ".", "10");
        var c = builder.AddExecutable("c", "sleep", ".", "10");
        a.WaitFor(b);
        b.WaitFor(c);
        c.WaitFor(a);

        var error = Assert.Throws<DistributedApplicationException>(() => builder.Build());
        Assert.Contains("WaitFor cycle: a → b → c → a", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Referencing_a_resource_of_another_model_is_rejected()
    {
        var other = TestApps.CreateBuilder(_data).AddRedis("cache");
        var builder = TestApps.CreateBuilder(_data);
        builder.AddExecutable("app", "sleep", ".", "10").WithReference(other).WaitFor(other);

        var error = Assert.Throws<DistributedApplicationException>(() => builder.Build());
        Assert.Contains("Resource 'app' references 'cache', which is not part of this application model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fixed_port_in_use_stops_start_up_naming_resource_and_port()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var builder = TestApps.CreateBuilder(_data, "--Hosting:RandomizePorts=false");
        builder.AddExecutable("web", "sleep", ".", "10").WithHttpEndpoint(port: port);
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<DistributedApplicationException>(() => app.StartAsync(TestApps.Timeout()));
        Assert.Contains($"Resource 'web' endpoint 'http' needs port {port}, which is already in use", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_postgres_binaries_and_no_container_engine_is_explained()
    {
        var builder = TestApps.CreateBuilder(_data, "--Hosting:ContainerRuntime=none", $"--Hosting:Postgres:BinDirectory={_data.Path}/no-such-dir");
        builder.AddPostgres("db");
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<DistributedApplicationException>(() => app.StartAsync(TestApps.Timeout()));
        Assert.Contains("Resource 'db' cannot start", error.Message, StringComparison.Ordinal);
        Assert.Contains("PostgreSQL server binaries", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install postgresql", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forcing_an_unknown_runtime_lists_the_choices()
    {
        var builder = TestApps.CreateBuilder(_data, "--Hosting:Redis:Runtime=memcached");
        builder.AddRedis("cache");
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<DistributedApplicationException>(() => app.StartAsync(TestApps.Timeout()));
        Assert.Contains("Hosting:Redis:Runtime is 'memcached', but the choices are container, redis-server, garnet", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_parameter_stops_the_build()
    {
        var builder = TestApps.CreateBuilder(_data);
        var region = builder.AddParameter("region");
        builder.AddExecutable("app", "sleep", ".", "10").WithEnvironment("REGION", region);

        var error = Assert.Throws<Aspire.Hosting.ApplicationModel.MissingParameterValueException>(() => builder.Build());
        Assert.Contains("Parameter 'region' has no value", error.Message, StringComparison.Ordinal);
    }
}

using System.Diagnostics;
using Hosting.Tests.Infrastructure;
using YamlDotNet.Serialization;

namespace Hosting.Tests.Publishing;

public sealed class ComposePublisherTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private string _output = "";
    private Dictionary<object, object> _services = [];

    public async Task InitializeAsync()
    {
        _output = await PublishedApp.PublishAsync(_data, "compose");
        var compose = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(await File.ReadAllTextAsync(Path.Combine(_output, "docker-compose.yaml")));
        _services = (Dictionary<object, object>)compose["services"];
    }

    public Task DisposeAsync()
    {
        _data.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void Services_wait_for_healthy_dependencies()
    {
        Assert.Equal(["postgres", "cache", "api", "worker"], _services.Keys.Cast<string>());
        foreach (var name in new[] { "api", "worker" })
        {
            var dependsOn = (Dictionary<object, object>)Service(name)["depends_on"];
            Assert.Equal("service_healthy", ((Dictionary<object, object>)dependsOn["postgres"])["condition"]);
            Assert.Equal("service_healthy", ((Dictionary<object, object>)dependsOn["cache"])["condition"]);
        }

        var test = (List<object>)((Dictionary<object, object>)Service("postgres")["healthcheck"])["test"];
        Assert.Equal(["CMD-SHELL", "pg_isready -U \"$$POSTGRES_USER\" -d postgres"], test.Cast<string>());
    }

    [Fact]
    public void Values_use_service_names_and_parameter_variables()
    {
        var environment = (Dictionary<object, object>)Service("worker")["environment"];
        Assert.Equal("Host=postgres;Port=5432;Username=postgres;Password=${POSTGRES_PASSWORD};Database=jobsdb", environment["ConnectionStrings__jobsdb"]);
        Assert.Equal("${API_KEY}", environment["Auth__ApiKeys__0"]);
        Assert.Equal("2", ((Dictionary<object, object>)Service("worker")["deploy"])["replicas"]);
        Assert.Contains("exec redis-server --requirepass \"$$REDIS_PASSWORD\"", ((List<object>)Service("cache")["command"]).Cast<string>());

        var env = File.ReadAllLines(Path.Combine(_output, ".env"));
        Assert.Contains($"API_KEY='{PublishedApp.ApiKey}'", env);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_output, ".env")));
    }

    [Fact]
    public void Only_external_endpoints_are_published_and_data_lives_in_a_named_volume()
    {
        var port = (Dictionary<object, object>)((List<object>)Service("api")["ports"]).Single();
        Assert.Equal("5080", port["published"]);
        Assert.Equal("8080", port["target"]);
        Assert.False(Service("worker").ContainsKey("ports"));
        Assert.Contains((List<object>)Service("postgres")["volumes"], v => ((string)v).EndsWith("-postgres-data:/var/lib/postgresql/data", StringComparison.Ordinal));
        Assert.Equal("CREATE DATABASE \"jobsdb\";\n", File.ReadAllText(Path.Combine(_output, "postgres-files-0", "create-databases.sql")));
    }

    [Fact]
    public async Task Docker_compose_accepts_the_file()
    {
        var compose = Aspire.Hosting.Processes.ProcessLauncher.FindOnPath("docker-compose");
        Assert.True(compose is not null, "docker-compose is needed for this test (`apt-get install docker-compose`; .ci/run installs it)");
        var startInfo = new ProcessStartInfo(compose!, ["config", "--quiet"]) { WorkingDirectory = _output, RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(startInfo)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, error);
    }

    private Dictionary<object, object> Service(string name) => (Dictionary<object, object>)_services[name];
}

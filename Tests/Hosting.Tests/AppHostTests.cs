using System.Net;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Hosting.Tests.Infrastructure;
using Npgsql;
using StackExchange.Redis;

namespace Hosting.Tests;

/// <summary>The whole graph (api, two workers, Postgres, Redis) started the way `dotnet run --project AppHost` does.</summary>
public sealed class AppHostTests(AppHostFixture fixture) : IClassFixture<AppHostFixture>
{
    private DistributedApplicationAccessor App => new(fixture.App);

    [Fact]
    public async Task The_api_answers_ready_through_its_endpoint()
    {
        using var http = fixture.App.CreateHttpClient("api");
        using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), TestApps.Timeout());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void Every_resource_runs_and_is_healthy()
    {
        foreach (var name in new[] { "postgres", "jobsdb", "cache", "api", "worker-0", "worker-1" })
        {
            var snapshot = App.Snapshot(name);
            Assert.Equal(KnownResourceStates.Running, snapshot.State);
            Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, snapshot.HealthStatus);
        }
    }

    [Fact]
    public void Projects_receive_aspire_environment_conventions()
    {
        var api = App.Environment("api");
        var worker = App.Environment("worker-1");
        var postgresPort = fixture.App.GetEndpoint("postgres", "tcp").Port;
        var cachePort = fixture.App.GetEndpoint("cache", "tcp").Port;

        Assert.Matches($"^Host=localhost;Port={postgresPort};Username=postgres;Password=[^;]{{22,}};Database=jobsdb$", api["ConnectionStrings__jobsdb"]);
        Assert.Matches($"^localhost:{cachePort},password=[A-Za-z0-9]{{22,}}$", api["ConnectionStrings__cache"]);
        Assert.Equal(AppHostFixture.ApiKey, api["Auth__ApiKeys__0"]);
        Assert.Equal(AppHostFixture.ApiKey, worker["Auth__ApiKeys__0"]);
        Assert.Equal("api", api["OTEL_SERVICE_NAME"]);
        Assert.Equal("worker", worker["OTEL_SERVICE_NAME"]);
        Assert.Equal("service.instance.id=worker-1", worker["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.Equal(AppHostFixture.OtlpEndpoint, api["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("grpc", api["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.Equal($"x-otlp-api-key={AppHostFixture.OtlpApiKey}", api["OTEL_EXPORTER_OTLP_HEADERS"]);
        foreach (var delay in new[] { "OTEL_BSP_SCHEDULE_DELAY", "OTEL_BLRP_SCHEDULE_DELAY", "OTEL_METRIC_EXPORT_INTERVAL" })
        {
            Assert.Equal("1000", api[delay]);
        }

        Assert.Equal("Development", api["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("Development", api["DOTNET_ENVIRONMENT"]);
        Assert.Equal($"http://localhost:{fixture.App.GetEndpoint("api").Port}", api["ASPNETCORE_URLS"]);
    }

    [Fact]
    public void Worker_replicas_are_separate_processes_on_their_own_ports_behind_one_endpoint()
    {
        var first = App.Snapshot("worker-0");
        var second = App.Snapshot("worker-1");
        var urls = new[] { App.Environment("worker-0")["ASPNETCORE_URLS"], App.Environment("worker-1")["ASPNETCORE_URLS"] };

        Assert.NotEqual(first.ProcessId, second.ProcessId);
        Assert.True(ProcessTable.IsAlive(first.ProcessId!.Value) && ProcessTable.IsAlive(second.ProcessId!.Value));
        Assert.NotEqual(urls[0], urls[1]);
        Assert.DoesNotContain($":{fixture.App.GetEndpoint("worker").Port}", urls[0], StringComparison.Ordinal);
        Assert.Equal(2, first.ReplicaCount);
        Assert.Contains(first.Urls, u => !u.IsInternal && u.Url == fixture.App.GetEndpoint("worker").ToString().TrimEnd('/'));
    }

    [Fact]
    public async Task The_worker_endpoint_forwards_to_the_replicas()
    {
        using var http = fixture.App.CreateHttpClient("worker");
        for (var i = 0; i < 4; i++)
        {
            using var response = await http.GetAsync(new Uri("/health/live", UriKind.Relative), TestApps.Timeout());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task The_database_exists_and_postgres_runs_unprivileged()
    {
        var connectionString = await fixture.App.GetConnectionStringAsync("jobsdb", TestApps.Timeout());
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestApps.Timeout());
        await using var command = new NpgsqlCommand("SELECT current_database()", connection);
        Assert.Equal("jobsdb", await command.ExecuteScalarAsync(TestApps.Timeout()));

        var status = await File.ReadAllLinesAsync($"/proc/{App.Snapshot("postgres").ProcessId}/status");
        var uid = status.Single(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
        Assert.NotEqual("0", uid);
    }

    [Fact]
    public async Task Redis_rejects_a_client_without_the_password()
    {
        var port = fixture.App.GetEndpoint("cache", "tcp").Port;
        await using (var anonymous = await ConnectionMultiplexer.ConnectAsync($"localhost:{port},abortConnect=false,connectRetry=0"))
        {
            var error = await Assert.ThrowsAnyAsync<RedisException>(() => anonymous.GetDatabase().PingAsync());
            Assert.Contains("NOAUTH", error.ToString(), StringComparison.OrdinalIgnoreCase);
        }

        await using var authenticated = await ConnectionMultiplexer.ConnectAsync((await fixture.App.GetConnectionStringAsync("cache"))!);
        await authenticated.GetDatabase().PingAsync();
    }

    [Fact]
    public void Secrets_are_generated_for_the_server_passwords()
    {
        var parameters = fixture.App.ResourceNotifications.GetCurrentStates().Where(e => e.Resource is ParameterResource).ToList();
        Assert.Contains(parameters, p => p.ResourceId == "postgres-password" && p.Snapshot.Properties.Single().IsSensitive);
        Assert.Contains(parameters, p => p.ResourceId == "cache-password");
        Assert.Contains(parameters, p => p.ResourceId == "api-key");
    }
}

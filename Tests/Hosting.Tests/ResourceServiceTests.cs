using Aspire.DashboardService.Proto.V1;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using Hosting.Tests.Infrastructure;

namespace Hosting.Tests;

/// <summary>The gRPC resource service the dashboard uses, called as the dashboard calls it.</summary>
public sealed class ResourceServiceTests : IAsyncLifetime
{
    private DistributedApplication _app = null!;
    private GrpcChannel _channel = null!;
    private string _apiKey = null!;

    public async Task InitializeAsync()
    {
        var ct = TestApps.Timeout(180);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(["--DisableDashboard=false", "--AppHost:WorkerReplicas=1"], ct);
        _app = await builder.BuildAsync(ct);
        await _app.StartAsync(ct);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync("api", ct);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync("aspire-dashboard", ct);

        var dashboard = new DistributedApplicationAccessor(_app).Environment("aspire-dashboard");
        _apiKey = dashboard["DASHBOARD__RESOURCESERVICECLIENT__APIKEY"]!;
        _channel = GrpcChannel.ForAddress(dashboard["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"]!);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _app.DisposeAsync();
    }

    private DashboardService.DashboardServiceClient Client => new(_channel);

    private Metadata Auth => new() { { "x-resource-service-api-key", _apiKey } };

    [Fact]
    public async Task Calls_without_the_api_key_are_refused()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Client.GetApplicationInformationAsync(new ApplicationInformationRequest()));
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);

        var wrong = await Assert.ThrowsAsync<RpcException>(async () =>
            await Client.GetApplicationInformationAsync(new ApplicationInformationRequest(), new Metadata { { "x-resource-service-api-key", "nope" } }));
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
    }

    [Fact]
    public async Task Watching_resources_starts_with_every_resource_and_its_details()
    {
        using var call = Client.WatchResources(new WatchResourcesRequest(), Auth, cancellationToken: TestApps.Timeout());
        Assert.True(await call.ResponseStream.MoveNext());
        var resources = call.ResponseStream.Current.InitialData.Resources.ToDictionary(r => r.Name);

        Assert.Equal("Running", resources["api"].State);
        Assert.Equal("Project", resources["api"].ResourceType);
        Assert.Contains(resources["api"].Urls, u => u.FullUrl == _app.GetEndpoint("api").ToString().TrimEnd('/'));
        Assert.Contains(resources["api"].Environment, e => e.Name == "ConnectionStrings__jobsdb");
        Assert.Contains(resources["api"].Commands, c => c.Name == "resource-restart");
        Assert.Contains(resources["api"].Relationships, r => r.ResourceName == "jobsdb" && r.Type == "WaitFor");
        Assert.Equal(HealthStatus.Healthy, resources["postgres"].HealthStatus);
        Assert.Contains(resources["postgres-password"].Properties, p => p.IsSensitive);
        Assert.True(resources["aspire-dashboard"].IsHidden);
        Assert.Contains("worker", resources.Keys);
    }

    [Fact]
    public async Task Console_logs_stream_with_timestamps()
    {
        using var call = Client.WatchResourceConsoleLogs(new WatchResourceConsoleLogsRequest { ResourceName = "api", SuppressFollow = true }, Auth, cancellationToken: TestApps.Timeout());
        var lines = new List<ConsoleLogLine>();
        while (await call.ResponseStream.MoveNext())
        {
            lines.AddRange(call.ResponseStream.Current.LogLines);
        }

        Assert.Contains(lines, l => l.Text.Contains("Now listening on", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+Z ", l.Text));
    }

    [Fact]
    public async Task Unknown_resources_are_not_found()
    {
        using var call = Client.WatchResourceConsoleLogs(new WatchResourceConsoleLogsRequest { ResourceName = "nope" }, Auth);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task Commands_restart_a_resource()
    {
        var ct = TestApps.Timeout();
        var before = new DistributedApplicationAccessor(_app).Snapshot("worker").ProcessId;

        var response = await Client.ExecuteResourceCommandAsync(new ResourceCommandRequest { ResourceName = "worker", CommandName = "resource-restart" }, Auth, cancellationToken: ct);

        Assert.Equal(ResourceCommandResponseKind.Succeeded, response.Kind);
        var after = await _app.ResourceNotifications.WaitForResourceHealthyAsync("worker", ct);
        Assert.NotEqual(before, after.Snapshot.ProcessId);
    }
}

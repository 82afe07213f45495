using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Hosting.Tests.Infrastructure;

namespace Hosting.Tests;

/// <summary>The repository's AppHost, started once for a test class through the testing builder.</summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    public const string ApiKey = "test-api-key-0123456789";
    public const string OtlpApiKey = "test-otlp-key";
    public const string OtlpEndpoint = "http://localhost:4317";

    public DistributedApplication App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var ct = TestApps.Timeout(180);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
        [
            $"--Parameters:api-key={ApiKey}",
            $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL={OtlpEndpoint}",
            $"--AppHost:OtlpApiKey={OtlpApiKey}",
        ], ct);
        App = await builder.BuildAsync(ct);
        await App.StartAsync(ct);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("api", ct);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("worker", ct);
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

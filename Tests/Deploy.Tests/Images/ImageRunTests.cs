using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Deploy.Tests.Infrastructure;
using Deploy.Tests.Monitoring;

namespace Deploy.Tests.Images;

/// <summary>Each image started as its entrypoint, as its user (see <see cref="ContainerRun"/>), joined to the running app.</summary>
[Collection(LiveSystemCollection.Name)]
public sealed class ImageRunTests(ContainerImages images, MonitoredSystem system)
{
    [Fact]
    public async Task Dashboard_image_serves_its_ui_as_the_app_user()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var (ui, grpc, http) = (Ports.Free(), Ports.Free(), Ports.Free());
        await using var dashboard = await ContainerRun.StartAsync(images["aspire-dashboard"], images.NewDirectory("dashboard"), new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{ui}",
            ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{grpc}",
            ["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{http}",
        }, timeout.Token);

        await dashboard.WaitForHttpAsync(new Uri($"http://127.0.0.1:{ui}/health/live"), timeout.Token);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var home = await client.GetAsync(new Uri($"http://127.0.0.1:{ui}/"), timeout.Token);

        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("/login", home.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(1654, UidOf(dashboard));
    }

    [Fact]
    public async Task Api_image_accepts_a_job_that_the_workers_run()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var port = Ports.Free();
        await using var api = await ContainerRun.StartAsync(images["api"], images.NewDirectory("api"), ServiceEnvironment(port), timeout.Token);

        await api.WaitForHttpAsync(new Uri($"http://127.0.0.1:{port}/health/ready"), timeout.Token);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        client.DefaultRequestHeaders.Add("X-API-Key", system.ApiKey);
        using var created = await client.PostAsJsonAsync("/api/v1/jobs", new { type = "echo", input = new { from = "image" } }, timeout.Token);
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(timeout.Token)).GetProperty("id").GetString();

        await WaitUntilSucceededAsync(client, id, timeout.Token);
        Assert.Equal(1654, UidOf(api));
    }

    [Fact]
    public async Task Worker_image_runs_the_jobs_of_its_queue()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var port = Ports.Free();
        var environment = ServiceEnvironment(port);
        environment["Jobs__Worker__Queues__0"] = "image-test"; // a queue no other worker claims
        await using var worker = await ContainerRun.StartAsync(images["worker"], images.NewDirectory("worker"), environment, timeout.Token);
        await worker.WaitForHttpAsync(new Uri($"http://127.0.0.1:{port}/health/ready"), timeout.Token);

        using var api = system.CreateApiClient();
        using var created = await api.PostAsJsonAsync("/api/v1/jobs", new { type = "echo", queue = "image-test", input = new { from = "test" } }, timeout.Token);
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(timeout.Token)).GetProperty("id").GetString();
        await WaitUntilSucceededAsync(api, id, timeout.Token);

        using var metrics = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        metrics.DefaultRequestHeaders.Authorization = new("Bearer", system.ApiKey);
        Assert.Contains("jobs_completed_total{", await metrics.GetStringAsync("/metrics", timeout.Token), StringComparison.Ordinal);
        Assert.Equal(1654, UidOf(worker));
    }

    private static async Task WaitUntilSucceededAsync(HttpClient api, string? id, CancellationToken cancellationToken)
    {
        string? state = null;
        while (state != "succeeded")
        {
            await Task.Delay(200, cancellationToken);
            state = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{id}", cancellationToken)).GetProperty("state").GetString();
        }
    }

    /// <summary>What the publishers give api and worker, pointed at the running app's database and cache.</summary>
    private Dictionary<string, string> ServiceEnvironment(int port) => new()
    {
        ["ASPNETCORE_HTTP_PORTS"] = port.ToString(),
        ["ConnectionStrings__jobsdb"] = system.ConnectionStrings["jobsdb"],
        ["ConnectionStrings__cache"] = system.ConnectionStrings["cache"],
        ["Auth__ApiKeys__0"] = system.ApiKey,
    };

    private static int UidOf(BackgroundProcess process) =>
        int.Parse(File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t')[1]);
}

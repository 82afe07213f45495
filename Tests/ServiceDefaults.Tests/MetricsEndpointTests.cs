using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using ServiceDefaults.Tests.Infrastructure;

namespace ServiceDefaults.Tests;

public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_need_the_api_key_and_use_semantic_convention_names_with_route_templates()
    {
        await using var service = await TestService.StartAsync();
        (await service.Http.GetAsync("/items/42")).Dispose();
        (await service.Http.GetAsync("/items/43")).Dispose();

        using var anonymous = await service.Http.GetAsync("/metrics");
        await ProblemAssert.IsProblemAsync(anonymous, HttpStatusCode.Unauthorized);

        var text = await ScrapeAsync(service.Http, "/metrics", bearer: true);
        Assert.Contains("http_server_request_duration_seconds_bucket{", text, StringComparison.Ordinal);
        var line = text.Split('\n').First(l => l.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal)
            && l.Contains("http_route=\"/items/{id:int}\"", StringComparison.Ordinal));
        Assert.Contains("http_request_method=\"GET\"", line, StringComparison.Ordinal);
        Assert.Contains("http_response_status_code=\"200\"", line, StringComparison.Ordinal);
        Assert.Equal("2", line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0]);
        Assert.DoesNotContain("/items/42", text, StringComparison.Ordinal);

        // Runtime, process and server metrics come along.
        Assert.Contains("dotnet_gc_collections_total", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_process_cpu_time_seconds_total", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_process_memory_working_set_bytes", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_thread_pool_thread_count", text, StringComparison.Ordinal);
        Assert.Contains("kestrel_active_connections", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scoped_keys_need_the_metrics_scope()
    {
        const string scraper = "scraper-key-0123456789abcdefghij";
        const string other = "other-key-0123456789abcdefghijkl";
        await using var service = await TestService.StartAsync(configuration: new Dictionary<string, string?>
        {
            ["Auth:Keys:0:Name"] = "prometheus",
            ["Auth:Keys:0:Sha256"] = ApiKeyStore.ComputeSha256Hex(scraper),
            ["Auth:Keys:0:Scopes:0"] = "metrics",
            ["Auth:Keys:1:Name"] = "jobs",
            ["Auth:Keys:1:Sha256"] = ApiKeyStore.ComputeSha256Hex(other),
            ["Auth:Keys:1:Scopes:0"] = "jobs:read",
        });
        Assert.Contains("# TYPE", await ScrapeAsync(service.Http, "/metrics", key: scraper), StringComparison.Ordinal);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Add("X-API-Key", other);
        using var forbidden = await service.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Fact]
    public async Task Metrics_can_be_turned_off()
    {
        await using var service = await TestService.StartAsync(configuration: new Dictionary<string, string?> { ["Metrics:Enabled"] = "false" });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Add("X-API-Key", TestService.ApiKey);
        using var response = await service.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_can_move_to_a_separate_management_port()
    {
        var port = FreePort();
        await using var service = await TestService.StartAsync(configuration: new Dictionary<string, string?> { ["Metrics:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        using var onMainPort = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        onMainPort.Headers.Add("X-API-Key", TestService.ApiKey);
        using var notThere = await service.Http.SendAsync(onMainPort);
        Assert.Equal(HttpStatusCode.NotFound, notThere.StatusCode);

        using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        Assert.Contains("# TYPE", await ScrapeAsync(management, "/metrics", key: TestService.ApiKey), StringComparison.Ordinal);
        using var anonymous = await management.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var items = await service.Http.GetAsync("/items/1");
        Assert.Equal(HttpStatusCode.OK, items.StatusCode);
    }

    internal static async Task<string> ScrapeAsync(HttpClient http, string path, string? key = TestService.ApiKey, bool bearer = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        else
        {
            request.Headers.Add("X-API-Key", key);
        }
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

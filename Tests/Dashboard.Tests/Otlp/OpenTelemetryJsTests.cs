using System.Diagnostics;
using Dashboard.Tests.Infrastructure;

namespace Dashboard.Tests.Otlp;

// An OpenTelemetry SDK we did not write: the JavaScript SDK from npm exporting over OTLP/HTTP (JSON).
public class OpenTelemetryJsTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private static readonly string SdkDirectory = Path.Combine(TestPaths.ProjectDirectory, "OtelJs");

    [Fact]
    public async Task A_trace_sent_by_the_OpenTelemetry_JavaScript_SDK_appears()
    {
        await EnsureInstalledAsync();
        var service = "js-shop-" + Guid.NewGuid().ToString("n")[..6];

        var (exitCode, output) = await RunAsync("node", "send-trace.mjs", new Uri(fixture.Dashboard.OtlpHttpUrl, "/v1/traces").ToString(), DashboardFixture.OtlpApiKey, service);

        Assert.True(exitCode == 0, $"node exited with {exitCode}: {output}");
        var traceId = output.Trim().Split('\n')[^1].Trim();
        var trace = await fixture.WaitForAsync($"/api/v1/traces/{traceId}", t => t.GetProperty("spans").GetArrayLength() == 2);
        Assert.Equal([service], trace.GetProperty("resources").EnumerateArray().Select(r => r.GetString()));
        var root = trace.GetProperty("spans")[0];
        Assert.Equal("GET /checkout", root.GetProperty("name").GetString());
        Assert.Equal("Server", root.GetProperty("kind").GetString());
        Assert.Equal("/checkout", root.GetProperty("attributes").GetProperty("url.path").GetString());
        Assert.Equal("3", trace.GetProperty("spans")[1].GetProperty("attributes").GetProperty("cart.items").GetString());
    }

    private static async Task EnsureInstalledAsync()
    {
        if (!File.Exists(Path.Combine(SdkDirectory, "node_modules", "@opentelemetry", "sdk-trace", "package.json")))
        {
            var (exitCode, output) = await RunAsync("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts");
            Assert.True(exitCode == 0, $"npm ci failed: {output}");
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file, args) { WorkingDirectory = SdkDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}

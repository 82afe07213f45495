using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OtlpIngest;

// The dashboard's Release build run as its own process with default limits, on free loopback ports.
internal sealed class DashboardUnderTest : IAsyncDisposable
{
    public const string Token = "bench-token";
    public const string OtlpKey = "bench-otlp-key";
    private readonly Process _process;

    private DashboardUnderTest(Process process, int frontend, int grpc)
    {
        _process = process;
        FrontendUrl = new Uri($"http://127.0.0.1:{frontend}");
        GrpcUrl = new Uri($"http://127.0.0.1:{grpc}");
    }

    public Uri FrontendUrl { get; }
    public Uri GrpcUrl { get; }

    public static async Task<DashboardUnderTest> StartAsync(string dashboardDll)
    {
        var (frontend, grpc, http) = (FreePort(), FreePort(), FreePort());
        var start = new ProcessStartInfo("dotnet", [dashboardDll]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{frontend}";
        start.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://127.0.0.1:{grpc}";
        start.Environment["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{http}";
        start.Environment["DASHBOARD__FRONTEND__BROWSERTOKEN"] = Token;
        start.Environment["DASHBOARD__OTLP__AUTHMODE"] = "ApiKey";
        start.Environment["DASHBOARD__OTLP__PRIMARYAPIKEY"] = OtlpKey;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[dashboard] {e.Data}"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[dashboard] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var dashboard = new DashboardUnderTest(process, frontend, grpc);
        using var client = new HttpClient { BaseAddress = dashboard.FrontendUrl };
        for (var i = 0; i < 300; i++)
        {
            try
            {
                if ((await client.GetAsync("/health")).IsSuccessStatusCode)
                {
                    return dashboard;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException("The dashboard did not become healthy.");
    }

    // Resident memory of the dashboard process, from /proc.
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
            }
        }

        return 0;
    }

    // CPU time the dashboard has used (user + system), from /proc: on a shared machine, throughput per
    // CPU-second says more about the dashboard than wall-clock throughput.
    public TimeSpan CpuTime()
    {
        var fields = File.ReadAllText($"/proc/{_process.Id}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ticks = long.Parse(fields[11]) + long.Parse(fields[12]);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}

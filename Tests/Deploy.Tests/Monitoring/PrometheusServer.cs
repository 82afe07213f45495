using System.Net.Http.Json;
using System.Text.Json;
using Deploy.Tests.Infrastructure;

namespace Deploy.Tests.Monitoring;

/// <summary>The Debian prometheus binary on a free loopback port with a data directory of its own, and its HTTP API.</summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly BackgroundProcess _process;
    private readonly HttpClient _http;

    private PrometheusServer(BackgroundProcess process, Uri address)
    {
        _process = process;
        _http = new HttpClient { BaseAddress = address };
    }

    public string Output => _process.Output;

    public static async Task<PrometheusServer> StartAsync(string directory, string config, CancellationToken cancellationToken)
    {
        var configFile = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(configFile, config, cancellationToken);
        var port = Ports.Free();
        var process = Tool.Prometheus.Start(directory, new Dictionary<string, string>(),
            $"--config.file={configFile}",
            $"--storage.tsdb.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}",
            "--log.level=warn");
        var server = new PrometheusServer(process, new Uri($"http://127.0.0.1:{port}"));
        try
        {
            await process.WaitForHttpAsync(new Uri(server._http.BaseAddress!, "-/ready"), cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>An instant query's result vector (or matrix); throws with Prometheus' error when the query is invalid.</summary>
    public async Task<JsonElement> QueryAsync(string promql, CancellationToken cancellationToken)
    {
        var data = await GetDataAsync($"api/v1/query?query={Uri.EscapeDataString(promql)}", cancellationToken);
        return data.GetProperty("result");
    }

    /// <summary>Values of a label among the series matching a selector (what Grafana's label_values() lists).</summary>
    public async Task<IReadOnlyList<string>> LabelValuesAsync(string label, string? match, CancellationToken cancellationToken)
    {
        var query = match is null ? "" : $"?match[]={Uri.EscapeDataString(match)}";
        var data = await GetDataAsync($"api/v1/label/{label}/values{query}", cancellationToken);
        return [.. data.EnumerateArray().Select(v => v.GetString()!)];
    }

    /// <summary>The <c>data</c> member of any /api/v1 answer (rules, alerts, targets ...).</summary>
    public async Task<JsonElement> GetDataAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(pathAndQuery, cancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        if (body.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"Prometheus answered {(int)response.StatusCode} to {pathAndQuery}: {body}");
        }
        return body.GetProperty("data").Clone();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
    }
}

using System.Net.Http.Json;
using System.Text.Json;

namespace Dashboard.Tests.Infrastructure;

// One secured dashboard process shared by a test class.
public class DashboardFixture : IAsyncLifetime
{
    public const string BrowserToken = "test-browser-token-7f3a9c";
    public const string OtlpApiKey = "test-otlp-key-51b2";
    public const string ApiKey = "test-api-key-c08e";

    // ServiceDefaults' key for /metrics (Auth:ApiKeys, every scope).
    public const string MetricsKey = "test-metrics-key-9d41";

    private DashboardProcess? _dashboard;

    public DashboardProcess Dashboard => _dashboard ?? throw new InvalidOperationException("Not started.");

    public virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["DASHBOARD__FRONTEND__AUTHMODE"] = "BrowserToken",
        ["DASHBOARD__FRONTEND__BROWSERTOKEN"] = BrowserToken,
        ["DASHBOARD__OTLP__AUTHMODE"] = "ApiKey",
        ["DASHBOARD__OTLP__PRIMARYAPIKEY"] = OtlpApiKey,
        ["DASHBOARD__API__AUTHMODE"] = "ApiKey",
        ["DASHBOARD__API__PRIMARYAPIKEY"] = ApiKey,
        ["DASHBOARD__OTLP__MAXREQUESTBODYSIZE"] = "1048576",
        ["Auth__ApiKeys__0"] = MetricsKey,
    };

    public virtual async Task InitializeAsync() => _dashboard = await DashboardProcess.StartAsync(Settings);

    public virtual async Task DisposeAsync()
    {
        if (_dashboard is not null)
        {
            await _dashboard.DisposeAsync();
        }
    }

    public HttpClient CreateApiClient()
    {
        var client = new HttpClient { BaseAddress = Dashboard.FrontendUrl };
        client.DefaultRequestHeaders.Add("x-api-key", ApiKey);
        return client;
    }

    // Telemetry is stored as it arrives, but the exporting side may batch: poll the API briefly.
    public async Task<JsonElement> WaitForAsync(string path, Func<JsonElement, bool> condition, TimeSpan? timeout = null)
    {
        using var client = CreateApiClient();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await client.GetFromJsonAsync<JsonElement>(path);
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{path} never satisfied the condition; last answer: {last}");
    }
}

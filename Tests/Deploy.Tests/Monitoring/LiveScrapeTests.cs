using System.Text.RegularExpressions;
using Deploy.Tests.Infrastructure;
using Deploy.Tests.Prometheus;

namespace Deploy.Tests.Monitoring;

/// <summary>The shipped scrape configuration and alert rules, run by a real Prometheus against the running app.</summary>
[Collection(LiveSystemCollection.Name)]
public sealed partial class LiveScrapeTests(MonitoredSystem system)
{
    /// <summary>Alerts that mean something is down or stuck: none may even be pending while everything runs.</summary>
    private static readonly string[] AvailabilityAlerts =
        ["ApiDown", "WorkerDown", "NoWorkerUp", "DatabaseDown", "RedisDown", "ExporterDown", "QueueStalled"];

    [Fact]
    public async Task Every_target_is_scraped_with_the_api_key()
    {
        var data = await system.Prometheus.GetDataAsync("api/v1/targets?state=active", Timeout());
        var targets = data.GetProperty("activeTargets").EnumerateArray().ToList();

        Assert.Equal(system.Targets.Values.Sum(t => t.Count), targets.Count);
        Assert.All(targets, t => Assert.True(t.GetProperty("health").GetString() == "up",
            $"{t.GetProperty("scrapeUrl")}: {t.GetProperty("health")} {t.GetProperty("lastError")}"));
    }

    [Fact]
    public async Task Every_alert_rule_loads_and_evaluates()
    {
        var data = await system.Prometheus.GetDataAsync("api/v1/rules?type=alert", Timeout());
        var rules = data.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("rules").EnumerateArray()).ToList();

        Assert.Equal(PrometheusFiles.Rules.Alerts.Count(), rules.Count);
        Assert.All(rules, r => Assert.True(r.GetProperty("health").GetString() == "ok",
            $"{r.GetProperty("name")}: {r.GetProperty("health")} {(r.TryGetProperty("lastError", out var e) ? e : default)}"));
        Assert.All(rules, r => Assert.NotEqual("0001-01-01T00:00:00Z", r.GetProperty("lastEvaluation").GetString()));
    }

    [Fact]
    public async Task No_availability_alert_is_active_while_everything_runs()
    {
        var data = await system.Prometheus.GetDataAsync("api/v1/alerts", Timeout());
        var active = data.GetProperty("alerts").EnumerateArray()
            .Select(a => $"{a.GetProperty("labels").GetProperty("alertname").GetString()} ({a.GetProperty("state").GetString()}) {a.GetProperty("labels")}")
            .ToList();

        Assert.DoesNotContain(active, a => AvailabilityAlerts.Any(name => a.StartsWith(name + " ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Every_metric_the_alerts_use_is_served()
    {
        var metrics = PrometheusFiles.Rules.Alerts
            .SelectMany(a => MetricPattern().Matches(a.Expr).Select(m => m.Groups["metric"].Value))
            .Distinct()
            .ToList();
        Assert.Contains("jobs_queue_depth", metrics);

        var missing = new List<string>();
        foreach (var metric in metrics)
        {
            var result = await system.Prometheus.QueryAsync($"count({{__name__=\"{metric}\"}})", Timeout());
            if (result.GetArrayLength() == 0)
            {
                missing.Add(metric);
            }
        }

        Assert.Empty(missing);
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    /// <summary>A metric name in our rules: an identifier right before a selector's brace or a comparison.</summary>
    [GeneratedRegex(@"(?<metric>\b[a-zA-Z_:][a-zA-Z0-9_:]*)(?=\{|\s*==)")]
    private static partial Regex MetricPattern();
}

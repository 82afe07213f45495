using Deploy.Tests.Infrastructure;

namespace Deploy.Tests.Prometheus;

/// <summary>deploy/prometheus through promtool (the Debian prometheus package), plus what promtool cannot check.</summary>
public sealed class AlertRulesTests
{
    private static readonly string[] RequiredAlerts =
        ["HighErrorRate", "HighLatencyP95", "DatabaseDown", "RedisDown", "QueueBacklog", "JobFailureRate", "WorkerDown"];

    private static readonly string[] Severities = ["critical", "warning"];

    private static readonly string[] RequiredAnnotations = ["summary", "description", "runbook"];

    [Fact]
    public async Task Prometheus_config_is_valid()
    {
        // promtool insists that credentials files exist; the real one is a deployment secret, so check a copy with a stand-in.
        using var copy = new TempCopy(PrometheusFiles.Directory);
        Directory.CreateDirectory(Path.Combine(copy.Path, "secrets"));
        await File.WriteAllTextAsync(Path.Combine(copy.Path, "secrets", "api-key"), "stand-in");

        await AssertSucceeds(copy.Path, "check", "config", "prometheus.yml");
    }

    [Fact]
    public Task Alert_rules_are_valid() => AssertSucceeds(PrometheusFiles.Directory, "check", "rules", "alerts.yml");

    [Fact]
    public Task Alert_rule_unit_tests_pass() => AssertSucceeds(PrometheusFiles.Directory, "test", "rules", "alerts.test.yml");

    [Fact]
    public void The_alerts_the_issue_asks_for_exist()
    {
        var alerts = PrometheusFiles.Rules.Alerts.Select(a => a.Alert).ToHashSet();

        Assert.All(RequiredAlerts, name => Assert.Contains(name, alerts));
    }

    [Fact]
    public void Every_alert_has_a_severity_summary_description_and_runbook()
    {
        Assert.All(PrometheusFiles.Rules.Alerts, alert =>
        {
            Assert.Contains(alert.Labels.GetValueOrDefault("severity"), Severities);
            foreach (var annotation in RequiredAnnotations)
            {
                Assert.False(string.IsNullOrWhiteSpace(alert.Annotations.GetValueOrDefault(annotation)), $"{alert.Alert} has no {annotation}");
            }
        });
    }

    [Fact]
    public void Every_alert_is_tested_firing_and_not_firing()
    {
        var cases = PrometheusFiles.RuleTests.Tests.SelectMany(t => t.AlertRuleTest).ToList();

        Assert.All(PrometheusFiles.Rules.Alerts, alert =>
        {
            Assert.True(cases.Any(c => c.Alertname == alert.Alert && c.ExpAlerts.Count > 0), $"{alert.Alert} is never tested firing");
            Assert.True(cases.Any(c => c.Alertname == alert.Alert && c.ExpAlerts.Count == 0), $"{alert.Alert} is never tested quiet");
        });
    }

    [Fact]
    public void Every_alert_has_a_runbook_section_in_the_docs()
    {
        var headings = File.ReadLines(Repository.PathOf("docs", "deploy.md")).Where(l => l.StartsWith("### ", StringComparison.Ordinal)).Select(l => l[4..].Trim()).ToHashSet();

        Assert.All(PrometheusFiles.Rules.Alerts, alert => Assert.Contains(alert.Alert!, headings));
    }

    private static async Task AssertSucceeds(string workingDirectory, params string[] args)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var (exitCode, output) = await Tool.Promtool.RunAsync(workingDirectory, timeout.Token, args);
        Assert.True(exitCode == 0, $"promtool {string.Join(' ', args)} exited with {exitCode}:\n{output}");
    }
}

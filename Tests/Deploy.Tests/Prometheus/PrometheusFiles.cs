using Deploy.Tests.Infrastructure;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Deploy.Tests.Prometheus;

/// <summary>The shapes of deploy/prometheus/alerts.yml and alerts.test.yml that the tests look into.</summary>
public static class PrometheusFiles
{
    public static string Directory => Repository.PathOf("deploy", "prometheus");

    public static RulesFile Rules => Read<RulesFile>("alerts.yml");

    public static RuleTestsFile RuleTests => Read<RuleTestsFile>("alerts.test.yml");

    private static T Read<T>(string name) =>
        new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .IgnoreUnmatchedProperties()
            .Build()
            .Deserialize<T>(File.ReadAllText(Path.Combine(Directory, name)));
}

public sealed class RulesFile
{
    public List<RuleGroup> Groups { get; set; } = [];

    public IEnumerable<Rule> Alerts => Groups.SelectMany(g => g.Rules).Where(r => r.Alert is not null);
}

public sealed class RuleGroup
{
    public string Name { get; set; } = "";
    public List<Rule> Rules { get; set; } = [];
}

public sealed class Rule
{
    public string? Alert { get; set; }
    public string Expr { get; set; } = "";
    public Dictionary<string, string> Labels { get; set; } = [];
    public Dictionary<string, string> Annotations { get; set; } = [];
}

public sealed class RuleTestsFile
{
    public List<RuleTestCase> Tests { get; set; } = [];
}

public sealed class RuleTestCase
{
    public List<AlertRuleTest> AlertRuleTest { get; set; } = [];
}

public sealed class AlertRuleTest
{
    public string Alertname { get; set; } = "";
    public List<object> ExpAlerts { get; set; } = [];
}

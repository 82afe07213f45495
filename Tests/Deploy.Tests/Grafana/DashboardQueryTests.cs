using System.Text.RegularExpressions;
using Deploy.Tests.Infrastructure;
using Deploy.Tests.Monitoring;

namespace Deploy.Tests.Grafana;

/// <summary>Every panel and variable of the shipped dashboards, queried on a real Prometheus scraping the running app.</summary>
[Collection(LiveSystemCollection.Name)]
public sealed partial class DashboardQueryTests(MonitoredSystem system)
{
    public static TheoryData<string, string, string> PanelQueries()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var query in GrafanaDashboards.Queries())
        {
            data.Add(query.Dashboard, query.Panel, query.RefId);
        }
        return data;
    }

    public static TheoryData<string, string> VariableQueries()
    {
        var data = new TheoryData<string, string>();
        foreach (var variable in GrafanaDashboards.QueryVariables())
        {
            data.Add(variable.Dashboard, variable.Name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PanelQueries))]
    public async Task Panel_query_returns_data(string dashboard, string panel, string refId)
    {
        var query = GrafanaDashboards.Queries().Single(q => q.Dashboard == dashboard && q.Panel == panel && q.RefId == refId);
        var expr = GrafanaDashboards.Resolve(dashboard, query.Expr);

        var result = await system.Prometheus.QueryAsync(expr, Timeout());

        Assert.True(result.GetArrayLength() > 0, $"{dashboard} / {panel} / {refId} returned no data:\n{expr}");
    }

    [Theory]
    [MemberData(nameof(VariableQueries))]
    public async Task Variable_query_returns_values(string dashboard, string name)
    {
        var variable = GrafanaDashboards.QueryVariables().Single(v => v.Dashboard == dashboard && v.Name == name);
        var match = LabelValuesPattern().Match(variable.Definition);
        Assert.True(match.Success, $"{dashboard}: ${name} is not a label_values() query: {variable.Definition}");
        var selector = match.Groups["selector"].Success ? GrafanaDashboards.Resolve(dashboard, match.Groups["selector"].Value) : null;

        var values = await system.Prometheus.LabelValuesAsync(match.Groups["label"].Value, selector, Timeout());

        Assert.NotEmpty(values);
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [GeneratedRegex(@"^label_values\((?:(?<selector>.+),\s*)?(?<label>\w+)\)$")]
    private static partial Regex LabelValuesPattern();
}

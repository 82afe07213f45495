using System.Text.RegularExpressions;

namespace Deploy.Tests.Grafana;

/// <summary>What makes the dashboards importable anywhere: unique ids, a data source variable, interval-proof rates.</summary>
public sealed partial class DashboardFileTests
{
    [Fact]
    public void Dashboards_have_unique_uids_and_panel_ids()
    {
        var dashboards = GrafanaDashboards.Files.Select(GrafanaDashboards.Load).ToList();

        Assert.Equal(3, dashboards.Count);
        Assert.Distinct(dashboards.Select(d => d.GetProperty("uid").GetString()));
        Assert.All(dashboards, d => Assert.Distinct(GrafanaDashboards.Panels(d.GetProperty("panels")).Select(p => p.GetProperty("id").GetInt32())));
    }

    [Fact]
    public void Every_panel_queries_the_data_source_variable()
    {
        var panels = GrafanaDashboards.Files.SelectMany(f => GrafanaDashboards.Panels(GrafanaDashboards.Load(f).GetProperty("panels")))
            .Where(p => p.GetProperty("type").GetString() != "row");

        Assert.All(panels, p => Assert.Equal("${datasource}", p.GetProperty("datasource").GetProperty("uid").GetString()));
    }

    [Fact]
    public void Every_range_is_the_rate_interval()
    {
        var fixedRanges = GrafanaDashboards.Queries().Where(q => FixedRangePattern().IsMatch(q.Expr)).Select(q => $"{q.Dashboard} / {q.Panel}");

        Assert.Empty(fixedRanges);
    }

    [GeneratedRegex(@"\[\d+[smhd]\]")]
    private static partial Regex FixedRangePattern();
}

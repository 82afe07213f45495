using System.Text.Json;
using System.Text.RegularExpressions;
using Deploy.Tests.Infrastructure;

namespace Deploy.Tests.Grafana;

/// <summary>
/// The queries in deploy/grafana/dashboards, read from the JSON the way Grafana reads it, and resolved the way Grafana
/// resolves them with every variable at "All".
/// </summary>
public static partial class GrafanaDashboards
{
    public static string Directory => Repository.PathOf("deploy", "grafana", "dashboards");

    public static IEnumerable<string> Files => System.IO.Directory.EnumerateFiles(Directory, "*.json").Order(StringComparer.Ordinal);

    public sealed record Query(string Dashboard, string Panel, string RefId, string Expr);

    public sealed record Variable(string Dashboard, string Name, string Definition);

    public static IEnumerable<Query> Queries() =>
        from file in Files
        let root = Load(file)
        from panel in Panels(root.GetProperty("panels"))
        where panel.TryGetProperty("targets", out _)
        from target in panel.GetProperty("targets").EnumerateArray()
        select new Query(Path.GetFileName(file), panel.GetProperty("title").GetString()!, target.GetProperty("refId").GetString()!,
            target.GetProperty("expr").GetString()!);

    public static IEnumerable<Variable> QueryVariables() =>
        from file in Files
        from variable in Load(file).GetProperty("templating").GetProperty("list").EnumerateArray()
        where variable.GetProperty("type").GetString() == "query"
        select new Variable(Path.GetFileName(file), variable.GetProperty("name").GetString()!, variable.GetProperty("definition").GetString()!);

    public static JsonElement Load(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(file));
        return document.RootElement.Clone();
    }

    /// <summary>Panels at every depth (rows hold their panels when collapsed).</summary>
    public static IEnumerable<JsonElement> Panels(JsonElement panels) =>
        panels.EnumerateArray().SelectMany(p => p.TryGetProperty("panels", out var inner) ? [p, .. Panels(inner)] : new[] { p });

    /// <summary>
    /// Replaces Grafana's interval macros with what Grafana gives them for a 15 s scrape interval and each template
    /// variable with its "All" value; an undefined variable is an error.
    /// </summary>
    public static string Resolve(string dashboard, string expr)
    {
        var allValues = Load(Path.Combine(Directory, dashboard)).GetProperty("templating").GetProperty("list").EnumerateArray()
            .Where(v => v.TryGetProperty("allValue", out _))
            .ToDictionary(v => v.GetProperty("name").GetString()!, v => v.GetProperty("allValue").GetString()!);
        return VariablePattern().Replace(expr, match =>
        {
            var name = match.Groups["name"].Value;
            return name switch
            {
                "__rate_interval" => "1m",
                "__interval" => "15s",
                "__range" => "1h",
                _ when allValues.TryGetValue(name, out var value) => value,
                _ => throw new InvalidOperationException($"{dashboard}: '{expr}' uses ${name}, which the dashboard does not define."),
            };
        });
    }

    [GeneratedRegex(@"\$\{?(?<name>\w+)\}?")]
    private static partial Regex VariablePattern();
}

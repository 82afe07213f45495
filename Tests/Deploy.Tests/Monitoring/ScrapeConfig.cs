using Deploy.Tests.Prometheus;
using YamlDotNet.RepresentationModel;

namespace Deploy.Tests.Monitoring;

/// <summary>
/// deploy/prometheus/prometheus.yml turned into a configuration for one test run: the same scrape jobs, paths and
/// authorization, with service discovery replaced by the running instances' addresses and a short interval.
/// </summary>
public static class ScrapeConfig
{
    public sealed record Target(string Instance, string Address);

    public static string Create(IReadOnlyDictionary<string, IReadOnlyList<Target>> targetsByJob, string credentialsFile, TimeSpan interval)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(Path.Combine(PrometheusFiles.Directory, "prometheus.yml"))))
        {
            stream.Load(reader);
        }
        var root = (YamlMappingNode)stream.Documents[0].RootNode;

        var seconds = $"{interval.TotalSeconds:0}s";
        var global = (YamlMappingNode)root["global"];
        global.Children[new YamlScalarNode("scrape_interval")] = new YamlScalarNode(seconds);
        global.Children[new YamlScalarNode("evaluation_interval")] = new YamlScalarNode(seconds);
        root.Children[new YamlScalarNode("rule_files")] = new YamlSequenceNode(
            ((YamlSequenceNode)root["rule_files"]).Select(f => new YamlScalarNode(Path.Combine(PrometheusFiles.Directory, ((YamlScalarNode)f).Value!))));

        foreach (var job in ((YamlSequenceNode)root["scrape_configs"]).Cast<YamlMappingNode>())
        {
            var name = ((YamlScalarNode)job["job_name"]).Value!;
            if (!targetsByJob.TryGetValue(name, out var targets))
            {
                throw new InvalidOperationException($"prometheus.yml scrapes '{name}', which the test does not run.");
            }
            job.Children.Remove(new YamlScalarNode("dns_sd_configs"));
            job.Children[new YamlScalarNode("static_configs")] = new YamlSequenceNode(targets.Select(t => new YamlMappingNode(
                new YamlScalarNode("targets"), new YamlSequenceNode(new YamlScalarNode(t.Address)),
                new YamlScalarNode("labels"), new YamlMappingNode(new YamlScalarNode("instance"), new YamlScalarNode(t.Instance)))));
            if (job.Children.TryGetValue(new YamlScalarNode("authorization"), out var authorization))
            {
                ((YamlMappingNode)authorization).Children[new YamlScalarNode("credentials_file")] = new YamlScalarNode(credentialsFile);
            }
        }

        using var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        return writer.ToString();
    }
}

using Deploy.Tests.Infrastructure;
using Deploy.Tests.Prometheus;
using YamlDotNet.RepresentationModel;

namespace Deploy.Tests.Compose;

/// <summary>
/// deploy/compose/monitoring.yaml layered on what the compose publisher writes, merged by docker-compose itself:
/// the exporters get the published passwords, and everything prometheus.yml scrapes is a service of the result.
/// </summary>
public sealed class MonitoringOverlayTests : IDisposable
{
    private const string PostgresPassword = "pg-$ecret{1}";
    private const string CachePassword = "cache-secret-2";

    private readonly DirectoryInfo _output = Directory.CreateTempSubdirectory("deploy-tests-compose-");

    [Fact]
    public async Task Overlay_joins_the_published_compose_file()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var published = Path.Combine(_output.FullName, "compose");
        var (exitCode, output) = await Tool.Dotnet.RunAsync(_output.FullName, timeout.Token,
            new Projects.AppHost().TargetPath, "--publisher", "compose", "--output-path", published,
            "--Parameters:api-key=metrics-key", $"--Parameters:postgres-password={PostgresPassword}",
            $"--Parameters:cache-password={CachePassword}", $"--Hosting:SecretsFile={Path.Combine(_output.FullName, "secrets.json")}");
        Assert.True(exitCode == 0, $"The compose publisher exited with {exitCode}:\n{output}");

        var services = await MergedServicesAsync(published, timeout.Token);

        Assert.Equal(PostgresPassword, Scalar(services, "postgres-exporter", "environment", "DATA_SOURCE_PASS"));
        Assert.Equal(CachePassword, Scalar(services, "redis-exporter", "environment", "REDIS_PASSWORD"));
        var mounts = ((YamlSequenceNode)services["prometheus"]["volumes"]).Select(MountSource).ToList();
        Assert.Contains(PrometheusFiles.Directory, mounts);
        foreach (var scraped in ScrapedServices())
        {
            Assert.True(services.Children.ContainsKey(scraped), $"prometheus.yml scrapes '{scraped}', which is no service of the merged compose file.");
        }
    }

    public void Dispose() => _output.Delete(recursive: true);

    private static async Task<YamlMappingNode> MergedServicesAsync(string published, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string> { ["DEPLOY_DIR"] = Repository.PathOf("deploy") };
        var (exitCode, merged) = await Tool.DockerCompose.RunAsync(published, environment, cancellationToken,
            "-f", "docker-compose.yaml", "-f", Repository.PathOf("deploy", "compose", "monitoring.yaml"), "config");
        Assert.True(exitCode == 0, $"docker-compose config exited with {exitCode}:\n{merged}");
        var yaml = new YamlStream();
        yaml.Load(new StringReader(merged));
        return (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
    }

    /// <summary>Hosts in prometheus.yml: DNS-discovered service names and static targets' host parts.</summary>
    private static IEnumerable<string> ScrapedServices()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(PrometheusFiles.Directory, "prometheus.yml"))));
        foreach (var job in (YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["scrape_configs"])
        {
            var config = (YamlMappingNode)job;
            foreach (var (key, hosts) in new[] { ("dns_sd_configs", "names"), ("static_configs", "targets") })
            {
                if (config.Children.TryGetValue(key, out var entries))
                {
                    foreach (var host in ((YamlSequenceNode)entries).SelectMany(e => (YamlSequenceNode)e[hosts]))
                    {
                        yield return ((YamlScalarNode)host).Value!.Split(':')[0];
                    }
                }
            }
        }
    }

    // The merged file is itself compose syntax, so a literal $ in a value comes out as $$.
    private static string? Scalar(YamlMappingNode services, string service, string section, string key) =>
        ((YamlScalarNode)services[service][section][key]).Value?.Replace("$$", "$", StringComparison.Ordinal);

    // docker-compose 1.x prints "source:target:mode", 2.x a mapping with "source".
    private static string MountSource(YamlNode volume) => volume is YamlMappingNode mapping
        ? ((YamlScalarNode)mapping["source"]).Value!
        : ((YamlScalarNode)volume).Value!.Split(':')[0];
}

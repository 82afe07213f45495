using System.Diagnostics;
using Hosting.Tests.Infrastructure;
using k8s;
using k8s.Models;
using YamlDotNet.Serialization;

namespace Hosting.Tests.Publishing;

public sealed class KubernetesPublisherTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private string _output = "";
    private List<(string File, string Yaml, Dictionary<object, object> Document)> _documents = [];

    public async Task InitializeAsync()
    {
        _output = await PublishedApp.PublishAsync(_data, "kubernetes");
        var deserializer = new DeserializerBuilder().Build();
        _documents = [.. Directory.GetFiles(_output, "*.yaml")
            .Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .SelectMany(f => File.ReadAllText(f).Split("---\n", StringSplitOptions.RemoveEmptyEntries).Select(y => (Path.GetFileName(f), y, deserializer.Deserialize<Dictionary<object, object>>(y))))];
    }

    public Task DisposeAsync()
    {
        _data.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void Every_built_in_object_matches_the_kubernetes_schema()
    {
        var builtIn = _documents.Where(d => !((string)d.Document["apiVersion"]).StartsWith("monitoring.coreos.com", StringComparison.Ordinal)).ToList();
        Assert.True(builtIn.Count >= 10, $"only {builtIn.Count} objects");

        // strict: unknown fields and wrongly typed values are errors, as `kubectl apply --validate=strict` treats them.
        foreach (var (file, yaml, _) in builtIn)
        {
            var loaded = KubernetesYaml.LoadAllFromString(yaml, typeMap: null, strict: true);
            Assert.Single(loaded);
            Assert.IsAssignableFrom<IKubernetesObject<V1ObjectMeta>>(loaded[0]);
        }
    }

    [Fact]
    public void Projects_are_hardened_deployments_with_probes_and_limits()
    {
        var worker = Load<V1Deployment>("worker");
        var api = Load<V1Deployment>("api");
        Assert.Equal(2, worker.Spec.Replicas);
        Assert.Equal(1, api.Spec.Replicas);

        var pod = worker.Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal("/health/live", container.LivenessProbe.HttpGet.Path);
        Assert.Equal("/health/ready", container.ReadinessProbe.HttpGet.Path);
        Assert.NotNull(container.Resources.Requests["cpu"]);
        Assert.NotNull(container.Resources.Limits["memory"]);
        Assert.Equal("worker:latest", container.Image);
        Assert.Contains(container.Env, e => e.Name == "PARAMETER_API_KEY" && e.ValueFrom.SecretKeyRef.Name == "parameters" && e.ValueFrom.SecretKeyRef.Key == "api-key");
        Assert.Contains(container.Env, e => e.Name == "ConnectionStrings__jobsdb" && e.Value == "Host=postgres;Port=5432;Username=postgres;Password=$(PARAMETER_POSTGRES_PASSWORD);Database=jobsdb");
        Assert.Contains(container.Env, e => e.Name == "ConnectionStrings__cache" && e.Value == "cache:6379,password=$(PARAMETER_CACHE_PASSWORD)");

        // Expansion only sees variables defined earlier in the list.
        var names = container.Env.Select(e => e.Name).ToList();
        Assert.True(names.IndexOf("PARAMETER_POSTGRES_PASSWORD") < names.IndexOf("ConnectionStrings__jobsdb"));
    }

    [Fact]
    public void Workers_get_a_disruption_budget_and_both_services_a_service_monitor_with_credentials()
    {
        var budget = Load<V1PodDisruptionBudget>("worker");
        Assert.Equal("worker", budget.Spec.Selector.MatchLabels["app.kubernetes.io/name"]);
        Assert.DoesNotContain(_documents, d => (string)d.Document["kind"] == "PodDisruptionBudget" && Name(d.Document) == "api");

        foreach (var name in new[] { "api", "worker" })
        {
            var monitor = _documents.Single(d => (string)d.Document["kind"] == "ServiceMonitor" && Name(d.Document) == name).Document;
            var endpoint = (Dictionary<object, object>)((List<object>)((Dictionary<object, object>)monitor["spec"])["endpoints"])[0];
            Assert.Equal("/metrics", endpoint["path"]);
            var credentials = (Dictionary<object, object>)((Dictionary<object, object>)endpoint["authorization"])["credentials"];
            Assert.Equal("parameters", credentials["name"]);
            Assert.Equal("api-key", credentials["key"]);
        }
    }

    [Fact]
    public void Servers_are_stateful_sets_with_volume_claims_and_init_scripts()
    {
        var postgres = Load<V1StatefulSet>("postgres");
        var claim = Assert.Single(postgres.Spec.VolumeClaimTemplates);
        Assert.Equal("ReadWriteOnce", Assert.Single(claim.Spec.AccessModes));
        var container = Assert.Single(postgres.Spec.Template.Spec.Containers);
        Assert.Contains(container.VolumeMounts, m => m.MountPath == "/var/lib/postgresql/data" && m.Name == claim.Metadata.Name);
        Assert.Contains(container.VolumeMounts, m => m.MountPath == "/docker-entrypoint-initdb.d");
        Assert.Equal(["sh", "-c", "pg_isready -U \"$POSTGRES_USER\" -d postgres"], container.ReadinessProbe.Exec.Command);
        var init = _documents.Select(d => d.Document).Single(d => (string)d["kind"] == "ConfigMap" && Name(d) == "postgres-files-0");
        Assert.Contains("CREATE DATABASE \"jobsdb\";", (string)((Dictionary<object, object>)init["data"])["create-databases.sql"], StringComparison.Ordinal);

        var cache = Load<V1StatefulSet>("cache");
        Assert.Equal("redis-server", Assert.Single(cache.Spec.Template.Spec.Containers).Args[2].Split(' ')[1]);
        Assert.Equal(6379, Load<V1Service>("cache").Spec.Ports.Single().Port);
    }

    [Fact]
    public void Parameters_live_in_one_secret_and_literals_in_config_maps()
    {
        var secret = Load<V1Secret>("parameters");
        Assert.Equal(PublishedApp.ApiKey, secret.StringData["api-key"]);
        Assert.True(secret.StringData["postgres-password"].Length >= 22);
        var config = Load<V1ConfigMap>("api-config");
        Assert.Equal("8080", config.Data["ASPNETCORE_HTTP_PORTS"]);

        // The API server only accepts strings in ConfigMap data: a bare 8080 would be a number once converted to JSON.
        Assert.Contains("ASPNETCORE_HTTP_PORTS: \"8080\"", _documents.Single(d => Name(d.Document) == "api-config").Yaml, StringComparison.Ordinal);
        Assert.DoesNotContain(_documents.Where(d => d.File != "parameters.secret.yaml"), d => d.Yaml.Contains(PublishedApp.ApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public void External_endpoints_get_an_ingress()
    {
        var ingress = Load<V1Ingress>("api");
        Assert.Equal("api", ingress.Spec.Rules.Single().Http.Paths.Single().Backend.Service.Name);
        Assert.DoesNotContain(_documents, d => (string)d.Document["kind"] == "Ingress" && Name(d.Document) == "worker");
    }

    [Fact]
    public async Task The_kustomization_builds_offline_with_kubectl()
    {
        var kubectl = Aspire.Hosting.Processes.ProcessLauncher.FindOnPath("kubectl");
        Assert.True(kubectl is not null, "kubectl is needed for this test (it ships with the CI image; `apt-get install kubectl` elsewhere)");
        var startInfo = new ProcessStartInfo(kubectl!, ["kustomize", _output]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(startInfo)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, error);
        Assert.Contains("kind: StatefulSet", output, StringComparison.Ordinal);
        Assert.Contains("app.kubernetes.io/part-of: apphost", output, StringComparison.Ordinal);
    }

    private T Load<T>(string name) where T : IKubernetesObject<V1ObjectMeta>
    {
        var kind = typeof(T).Name[2..];
        var (_, yaml, _) = _documents.Single(d => (string)d.Document["kind"] == kind && Name(d.Document) == name);
        return KubernetesYaml.Deserialize<T>(yaml, strict: true);
    }

    private static string Name(Dictionary<object, object> document) => (string)((Dictionary<object, object>)document["metadata"])["name"];
}

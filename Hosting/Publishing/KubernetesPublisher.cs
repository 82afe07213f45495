using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using static Aspire.Hosting.Publishing.YamlDocuments;

namespace Aspire.Hosting.Publishing;

/// <summary>
/// Writes Kubernetes manifests, one file per resource plus a kustomization: projects become Deployments (replicas
/// from the model, liveness <c>/health/live</c>, readiness from the model's HTTP health check, requests and limits,
/// non-root, read-only root filesystem) with a Service, a ConfigMap, a PodDisruptionBudget when replicated, an
/// Ingress when external and a ServiceMonitor when they declare a metrics endpoint; container resources become
/// StatefulSets with a volume claim per volume. Parameters live in one Secret and reach containers as
/// <c>$(PARAMETER_X)</c> references.
/// </summary>
internal sealed class KubernetesPublisher(IConfiguration configuration) : IDistributedApplicationPublisher
{
    public const string ParametersSecret = "parameters";
    private const string PartOfLabel = "app.kubernetes.io/part-of";
    private const string NameLabel = "app.kubernetes.io/name";

    private static readonly string[] DropAllCapabilities = ["ALL"];
    private static readonly string[] ReadWriteOnce = ["ReadWriteOnce"];

    private static readonly DeploymentValues Values = new(
        p => $"$({ParameterVariable(p)})",
        literal => literal.Replace("$(", "$$(", StringComparison.Ordinal));

    // ConfigMap values are never expanded, so nothing needs escaping there.
    private static readonly DeploymentValues Literals = new(p => throw new InvalidOperationException($"Parameter '{p.Name}' belongs in a Secret."), literal => literal);

    public string Name => "kubernetes";

    public async Task PublishAsync(PublishingContext context, CancellationToken cancellationToken)
    {
        var application = context.ApplicationName;
        var files = new List<string>();
        var parameters = context.Model.Resources.OfType<ParameterResource>().ToList();
        if (parameters.Count > 0)
        {
            files.Add(await WriteAsync(context, $"{ParametersSecret}.secret.yaml", [ParametersSecretDocument(parameters, application)], cancellationToken));
        }

        foreach (var resource in context.DeployableResources)
        {
            var documents = resource switch
            {
                ParameterResource or IResourceWithParent => null,
                ProjectResource project => await ProjectDocumentsAsync(project, context, application, cancellationToken),
                ContainerResource container => await ContainerDocumentsAsync(container, context, application, cancellationToken),
                _ => throw new DistributedApplicationException($"Resource '{resource.Name}' ({resource.GetType().Name}) cannot be deployed to Kubernetes; only projects and containers can."),
            };
            if (documents is not null)
            {
                files.Add(await WriteAsync(context, $"{resource.Name}.yaml", documents, cancellationToken));
            }
        }

        var kustomization = Map(
            ("apiVersion", "kustomize.config.k8s.io/v1beta1"),
            ("kind", "Kustomization"),
            ("labels", new[] { Map(("pairs", Map((PartOfLabel, application)))) }),
            ("resources", files));
        await WriteAsync(context, "kustomization.yaml", [kustomization], cancellationToken);
    }

    private static async Task<List<object>> ProjectDocumentsAsync(ProjectResource project, PublishingContext context, string application, CancellationToken cancellationToken)
    {
        var replicas = project.Annotations.OfType<ReplicaAnnotation>().LastOrDefault()?.Replicas ?? 1;
        var endpoints = project.Annotations.OfType<EndpointAnnotation>().ToList();
        var (configMap, env) = await EnvironmentAsync(project, context, cancellationToken, ("ASPNETCORE_HTTP_PORTS", DeploymentValues.ProjectHttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var readiness = project.Annotations.OfType<HealthCheckAnnotation>().Select(h => h.HttpPath).FirstOrDefault(p => p is not null) ?? "/health/ready";

        var container = Map(
            ("name", project.Name),
            ("image", context.Options.ProjectImage(project.Name)),
            ("ports", endpoints.Select(e => Map(("name", e.Name), ("containerPort", DeploymentValues.ServicePort(e, project)))).ToList()),
            ("envFrom", new[] { Map(("configMapRef", Map(("name", $"{project.Name}-config")))) }),
            ("env", env.Count > 0 ? env : null),
            ("startupProbe", HttpProbe("/health/live", endpoints, periodSeconds: 2, failureThreshold: 30)),
            ("livenessProbe", HttpProbe("/health/live", endpoints, periodSeconds: 10, failureThreshold: 3)),
            ("readinessProbe", HttpProbe(readiness, endpoints, periodSeconds: 5, failureThreshold: 3)),
            ("resources", Resources("100m", "128Mi", "1", "512Mi")),
            ("securityContext", Map(
                ("allowPrivilegeEscalation", false),
                ("readOnlyRootFilesystem", true),
                ("capabilities", Map(("drop", DropAllCapabilities))))),
            ("volumeMounts", new[] { Map(("name", "tmp"), ("mountPath", "/tmp")) }));

        var documents = new List<object>
        {
            configMap,
            Workload("Deployment", project.Name, application, replicas, Map(
                ("securityContext", Map(
                    ("runAsNonRoot", true),
                    ("runAsUser", 1654),
                    ("runAsGroup", 1654),
                    ("fsGroup", 1654),
                    ("seccompProfile", Map(("type", "RuntimeDefault"))))),
                ("containers", new[] { container }),
                ("volumes", new[] { Map(("name", "tmp"), ("emptyDir", Map())) }))),
        };
        if (endpoints.Count > 0)
        {
            documents.Add(Service(project, endpoints, application));
        }

        if (replicas > 1)
        {
            documents.Add(Map(
                ("apiVersion", "policy/v1"),
                ("kind", "PodDisruptionBudget"),
                ("metadata", Metadata(project.Name, application)),
                ("spec", Map(("maxUnavailable", 1), ("selector", Map(("matchLabels", Map((NameLabel, project.Name)))))))));
        }

        if (endpoints.FirstOrDefault(e => e.IsExternal && e.UriScheme is "http" or "https") is { } external)
        {
            var backend = Map(("service", Map(("name", project.Name), ("port", Map(("name", external.Name))))));
            var path = Map(("path", "/"), ("pathType", "Prefix"), ("backend", backend));
            documents.Add(Map(
                ("apiVersion", "networking.k8s.io/v1"),
                ("kind", "Ingress"),
                ("metadata", Metadata(project.Name, application)),
                ("spec", Map(("rules", new[] { Map(("http", Map(("paths", new[] { path })))) })))));
        }

        if (project.Annotations.OfType<MetricsEndpointAnnotation>().LastOrDefault() is { } metrics)
        {
            documents.Add(ServiceMonitor(project, metrics, application));
        }

        return documents;
    }

    private async Task<List<object>> ContainerDocumentsAsync(ContainerResource resource, PublishingContext context, string application, CancellationToken cancellationToken)
    {
        var image = resource.Annotations.OfType<ContainerImageAnnotation>().LastOrDefault()
            ?? throw new DistributedApplicationException($"Container resource '{resource.Name}' has no image.");
        var endpoints = resource.Annotations.OfType<EndpointAnnotation>().ToList();
        var (configMap, env) = await EnvironmentAsync(resource, context, cancellationToken);
        var args = (await context.GetArgumentsAsync(resource, cancellationToken)).Select(Values.Render).ToList();
        var volumes = resource.Annotations.OfType<ContainerMountAnnotation>().ToList();
        var files = resource.Annotations.OfType<ContainerFilesAnnotation>().ToList();
        var primary = endpoints.FirstOrDefault();

        var mounts = volumes.Select((v, i) => Map(("name", $"data-{i}"), ("mountPath", v.Target), ("readOnly", v.IsReadOnly ? true : null)))
            .Concat(files.Select((f, i) => Map(("name", $"files-{i}"), ("mountPath", f.TargetDirectory), ("readOnly", true))))
            .ToList();
        var container = Map(
            ("name", resource.Name),
            ("image", image.FullName),
            ("args", args.Count > 0 ? args : null),
            ("ports", endpoints.Select(e => Map(("name", e.Name), ("containerPort", DeploymentValues.ServicePort(e, resource)))).ToList()),
            ("envFrom", new[] { Map(("configMapRef", Map(("name", $"{resource.Name}-config")))) }),
            ("env", env.Count > 0 ? env : null),
            ("readinessProbe", ContainerProbe(resource, primary, periodSeconds: 5, initialDelaySeconds: 0)),
            ("livenessProbe", ContainerProbe(resource, primary, periodSeconds: 10, initialDelaySeconds: 30)),
            ("resources", Resources("100m", "256Mi", "1", "1Gi")),
            ("securityContext", Map(("allowPrivilegeEscalation", false))),
            ("volumeMounts", mounts.Count > 0 ? mounts : null));

        var documents = new List<object> { configMap };
        foreach (var (fileSet, index) in files.Select((f, i) => (f, i)))
        {
            documents.Add(Map(
                ("apiVersion", "v1"),
                ("kind", "ConfigMap"),
                ("metadata", Metadata($"{resource.Name}-files-{index}", application)),
                ("data", fileSet.Files())));
        }

        var podVolumes = files.Select((f, i) => Map(("name", $"files-{i}"), ("configMap", Map(("name", $"{resource.Name}-files-{i}"))))).ToList();
        var statefulSet = Workload("StatefulSet", resource.Name, application, 1, Map(
            ("containers", new[] { container }),
            ("volumes", podVolumes.Count > 0 ? podVolumes : null)));
        var spec = (Dictionary<string, object?>)statefulSet["spec"]!;
        spec["serviceName"] = resource.Name;
        if (volumes.Count > 0)
        {
            spec["volumeClaimTemplates"] = volumes.Select((v, i) => Map(
                ("metadata", Map(("name", $"data-{i}"))),
                ("spec", Map(("accessModes", ReadWriteOnce), ("resources", Map(("requests", Map(("storage", configuration["Publishing:Kubernetes:VolumeSize"] ?? "1Gi")))))))))
                .ToList();
        }

        documents.Add(statefulSet);
        if (endpoints.Count > 0)
        {
            documents.Add(Service(resource, endpoints, application));
        }

        return documents;
    }

    /// <summary>Literal values go into the resource's ConfigMap; values holding parameters stay in <c>env</c>, after the parameters they expand.</summary>
    private static async Task<(Dictionary<string, object?> ConfigMap, List<Dictionary<string, object?>> Env)> EnvironmentAsync(
        IResource resource, PublishingContext context, CancellationToken cancellationToken, params (string Name, string Value)[] extra)
    {
        var environment = await context.GetEnvironmentAsync(resource, cancellationToken);
        var data = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in extra)
        {
            data[name] = value;
        }

        var secretBacked = new List<(string Name, object? Value)>();
        foreach (var (name, value) in environment)
        {
            if (DeploymentValues.ParametersIn(value).Any())
            {
                secretBacked.Add((name, value));
            }
            else
            {
                data[name] = Literals.Render(value);
            }
        }

        var env = secretBacked.SelectMany(v => DeploymentValues.ParametersIn(v.Value)).Distinct()
            .Select(p => Map(("name", ParameterVariable(p)), ("valueFrom", Map(("secretKeyRef", Map(("name", ParametersSecret), ("key", p.Name)))))))
            .Concat(secretBacked.Select(v => Map(("name", v.Name), ("value", Values.Render(v.Value)))))
            .ToList();

        var configMap = Map(
            ("apiVersion", "v1"),
            ("kind", "ConfigMap"),
            ("metadata", Metadata($"{resource.Name}-config", context.ApplicationName)),
            ("data", data));
        return (configMap, env);
    }

    private static Dictionary<string, object?> ParametersSecretDocument(List<ParameterResource> parameters, string application) => Map(
        ("apiVersion", "v1"),
        ("kind", "Secret"),
        ("metadata", Metadata(ParametersSecret, application)),
        ("type", "Opaque"),
        ("stringData", parameters.ToDictionary(p => p.Name, p => (object?)p.Value)));

    private static Dictionary<string, object?> Workload(string kind, string name, string application, int replicas, Dictionary<string, object?> podSpec) => Map(
        ("apiVersion", "apps/v1"),
        ("kind", kind),
        ("metadata", Metadata(name, application)),
        ("spec", Map(
            ("replicas", replicas),
            ("selector", Map(("matchLabels", Map((NameLabel, name))))),
            ("template", Map(
                ("metadata", Map(("labels", Map((NameLabel, name), (PartOfLabel, application))))),
                ("spec", podSpec))))));

    private static Dictionary<string, object?> Service(IResource resource, List<EndpointAnnotation> endpoints, string application) => Map(
        ("apiVersion", "v1"),
        ("kind", "Service"),
        ("metadata", Metadata(resource.Name, application)),
        ("spec", Map(
            ("selector", Map((NameLabel, resource.Name))),
            ("ports", endpoints.Select(e => Map(("name", e.Name), ("port", DeploymentValues.ServicePort(e, resource)), ("targetPort", e.Name))).ToList()))));

    private static Dictionary<string, object?> ServiceMonitor(ProjectResource project, MetricsEndpointAnnotation metrics, string application) => Map(
        ("apiVersion", "monitoring.coreos.com/v1"),
        ("kind", "ServiceMonitor"),
        ("metadata", Metadata(project.Name, application)),
        ("spec", Map(
            ("selector", Map(("matchLabels", Map((NameLabel, project.Name))))),
            ("endpoints", new[]
            {
                Map(
                    ("port", metrics.EndpointName),
                    ("path", metrics.Path),
                    ("interval", "15s"),
                    ("authorization", metrics.BearerToken is { } token
                        ? Map(("type", "Bearer"), ("credentials", Map(("name", ParametersSecret), ("key", token.Name))))
                        : null)),
            }))));

    private static Dictionary<string, object?> HttpProbe(string path, List<EndpointAnnotation> endpoints, int periodSeconds, int failureThreshold) => Map(
        ("httpGet", Map(("path", path), ("port", endpoints.FirstOrDefault(e => e.UriScheme is "http" or "https")?.Name ?? "http"))),
        ("periodSeconds", periodSeconds),
        ("timeoutSeconds", 2),
        ("failureThreshold", failureThreshold));

    // The image's own readiness command when the model gives one, else a TCP connect to the primary port.
    private static Dictionary<string, object?>? ContainerProbe(IResource resource, EndpointAnnotation? primary, int periodSeconds, int initialDelaySeconds)
    {
        var probe = resource.Annotations.OfType<DeploymentHealthCheckAnnotation>().LastOrDefault() is { } check
            ? Map(("exec", Map(("command", new[] { "sh", "-c", check.ShellCommand }))))
            : primary is null ? null : Map(("tcpSocket", Map(("port", primary.Name))));
        if (probe is not null)
        {
            probe["periodSeconds"] = periodSeconds;
            probe["timeoutSeconds"] = 3;
            if (initialDelaySeconds > 0)
            {
                probe["initialDelaySeconds"] = initialDelaySeconds;
            }
        }

        return probe;
    }

    private static Dictionary<string, object?> Resources(string cpuRequest, string memoryRequest, string cpuLimit, string memoryLimit) => Map(
        ("requests", Map(("cpu", cpuRequest), ("memory", memoryRequest))),
        ("limits", Map(("cpu", cpuLimit), ("memory", memoryLimit))));

    private static Dictionary<string, object?> Metadata(string name, string application) =>
        Map(("name", name), ("labels", Map((NameLabel, name), (PartOfLabel, application))));

    internal static string ParameterVariable(ParameterResource parameter) => $"PARAMETER_{DeploymentValues.VariableName(parameter)}";

    private static async Task<string> WriteAsync(PublishingContext context, string fileName, IEnumerable<object> documents, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(Path.Combine(context.StagingDirectory, fileName), Write(documents), cancellationToken);
        return fileName;
    }
}

using Aspire.Hosting.ApplicationModel;
using static Aspire.Hosting.Publishing.YamlDocuments;

namespace Aspire.Hosting.Publishing;

/// <summary>
/// Writes <c>docker-compose.yaml</c> with the model's services: containers with their health checks, projects as
/// images, <c>depends_on</c> conditions from <c>WaitFor</c>, replicas, named volumes, published ports for external
/// endpoints, and parameters as <c>${NAME}</c> variables whose values go in a private <c>.env</c> file beside it.
/// </summary>
internal sealed class ComposePublisher : IDistributedApplicationPublisher
{
    public const string FileName = "docker-compose.yaml";

    private static readonly DeploymentValues Values = new(p => $"${{{DeploymentValues.VariableName(p)}}}", literal => literal.Replace("$", "$$", StringComparison.Ordinal));

    public string Name => "compose";

    public async Task PublishAsync(PublishingContext context, CancellationToken cancellationToken)
    {
        var services = new Dictionary<string, object?>(StringComparer.Ordinal);
        var volumes = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var resource in context.DeployableResources)
        {
            switch (resource)
            {
                case ParameterResource or IResourceWithParent:
                    continue;
                case ProjectResource project:
                    services[project.Name] = await ServiceAsync(project, context.Options.ProjectImage(project.Name), context, cancellationToken);
                    break;
                case ContainerResource container:
                    var image = container.Annotations.OfType<ContainerImageAnnotation>().LastOrDefault()
                        ?? throw new DistributedApplicationException($"Container resource '{container.Name}' has no image.");
                    var service = await ServiceAsync(container, image.FullName, context, cancellationToken);
                    AddStorage(container, service, volumes, context);
                    services[container.Name] = service;
                    break;
                default:
                    throw new DistributedApplicationException($"Resource '{resource.Name}' ({resource.GetType().Name}) cannot be deployed with Compose; only projects and containers can.");
            }
        }

        // No top-level `name`: the project name comes from the directory, which every Compose version accepts.
        var compose = Map(("services", services), ("volumes", volumes.Count > 0 ? volumes : null));
        await File.WriteAllTextAsync(Path.Combine(context.StagingDirectory, FileName), Write([compose]), cancellationToken);

        var envFile = Path.Combine(context.StagingDirectory, ".env");
        await File.WriteAllLinesAsync(envFile,
            context.Model.Resources.OfType<ParameterResource>().Select(p => $"{DeploymentValues.VariableName(p)}='{p.Value.Replace("'", "'\\''", StringComparison.Ordinal)}'"),
            cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(envFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static async Task<Dictionary<string, object?>> ServiceAsync(IResource resource, string image, PublishingContext context, CancellationToken cancellationToken)
    {
        var environment = (await context.GetEnvironmentAsync(resource, cancellationToken)).ToDictionary(e => e.Key, e => (object?)Values.Render(e.Value));
        if (resource is ProjectResource)
        {
            environment.TryAdd("ASPNETCORE_HTTP_PORTS", DeploymentValues.ProjectHttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var args = (await context.GetArgumentsAsync(resource, cancellationToken)).Select(Values.Render).ToList();
        var ports = resource.Annotations.OfType<EndpointAnnotation>()
            .Where(e => e.IsExternal)
            .Select(e => Map(("target", DeploymentValues.ServicePort(e, resource)), ("published", (e.Port ?? DeploymentValues.ServicePort(e, resource)).ToString(System.Globalization.CultureInfo.InvariantCulture)), ("protocol", "tcp")))
            .ToList();
        var replicas = resource.Annotations.OfType<ReplicaAnnotation>().LastOrDefault()?.Replicas;
        var healthCheck = resource.Annotations.OfType<DeploymentHealthCheckAnnotation>().LastOrDefault();

        return Map(
            ("image", image),
            ("command", args.Count > 0 ? args : null),
            ("environment", environment.Count > 0 ? environment : null),
            ("ports", ports.Count > 0 ? ports : null),
            ("depends_on", DependsOn(resource)),
            ("healthcheck", healthCheck is null ? null : Map(
                ("test", new[] { "CMD-SHELL", healthCheck.ShellCommand.Replace("$", "$$", StringComparison.Ordinal) }),
                ("interval", "5s"),
                ("timeout", "3s"),
                ("retries", 10),
                ("start_period", "10s"))),
            ("deploy", replicas is > 1 ? Map(("replicas", replicas)) : null),
            ("restart", "unless-stopped"));
    }

    // WaitFor becomes a start condition: healthy when the dependency has a health check, started otherwise.
    private static Dictionary<string, object?>? DependsOn(IResource resource)
    {
        var dependencies = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var wait in resource.Annotations.OfType<WaitAnnotation>())
        {
            var target = wait.Resource is IResourceWithParent child ? child.Parent : wait.Resource;
            var condition = wait.WaitType == WaitType.WaitForCompletion ? "service_completed_successfully"
                : target.Annotations.OfType<DeploymentHealthCheckAnnotation>().Any() ? "service_healthy" : "service_started";
            dependencies[target.Name] = Map(("condition", condition));
        }

        return dependencies.Count > 0 ? dependencies : null;
    }

    private static void AddStorage(IResource resource, Dictionary<string, object?> service, Dictionary<string, object?> volumes, PublishingContext context)
    {
        var mounts = new List<string>();
        foreach (var mount in resource.Annotations.OfType<ContainerMountAnnotation>())
        {
            var source = mount.Type == ContainerMountType.Volume ? mount.Source : context.RelativePath(mount.Source);
            if (mount.Type == ContainerMountType.Volume)
            {
                volumes[mount.Source] = Map();
            }

            mounts.Add($"{source}:{mount.Target}{(mount.IsReadOnly ? ":ro" : "")}");
        }

        foreach (var (files, index) in resource.Annotations.OfType<ContainerFilesAnnotation>().Select((f, i) => (f, i)))
        {
            var directory = $"{resource.Name}-files-{index}";
            Directory.CreateDirectory(Path.Combine(context.StagingDirectory, directory));
            foreach (var (name, content) in files.Files())
            {
                File.WriteAllText(Path.Combine(context.StagingDirectory, directory, name), content);
            }

            mounts.Add($"./{directory}:{files.TargetDirectory}:ro");
        }

        if (mounts.Count > 0)
        {
            service["volumes"] = mounts;
        }
    }

}

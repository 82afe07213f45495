using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Orchestration.Launchers;
using Aspire.Hosting.Processes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Aspire.Hosting.Orchestration;

/// <summary>
/// Decides how each resource runs. Container resources use a container engine when one answers, else the first
/// available local runtime. <c>Hosting:{Type}:Runtime</c> (e.g. <c>Hosting:Redis:Runtime=garnet</c>) or
/// <c>Hosting:Resources:{name}:Runtime</c> forces one.
/// </summary>
internal sealed class RuntimeSelector(IServiceProvider services, IConfiguration configuration, ContainerEngine containerEngine)
{
    public const string ContainerRuntimeName = "container";

    /// <summary>Null for resources that run no process of their own (parameters, databases inside a server).</summary>
    public async Task<IResourceLauncher?> SelectAsync(IResource resource)
    {
        switch (resource)
        {
            case ProjectResource:
                return new ProjectLauncher();
            case ExecutableResource:
                return new ExecutableLauncher();
            case ContainerResource container:
                return await SelectContainerRuntimeAsync(container);
            default:
                return null;
        }
    }

    private async Task<IResourceLauncher> SelectContainerRuntimeAsync(ContainerResource resource)
    {
        var kind = KindOf(resource);
        var forced = configuration[$"Hosting:Resources:{resource.Name}:Runtime"] ?? configuration[$"Hosting:{kind}:Runtime"];
        var locals = resource.Annotations.OfType<LocalRuntimeAnnotation>().ToList();
        var hasImage = resource.Annotations.OfType<ContainerImageAnnotation>().Any();

        if (forced is not null && !string.Equals(forced, ContainerRuntimeName, StringComparison.OrdinalIgnoreCase))
        {
            var runtime = locals.FirstOrDefault(l => string.Equals(l.Name, forced, StringComparison.OrdinalIgnoreCase))
                ?? throw new DistributedApplicationException(
                    $"Resource '{resource.Name}': Hosting:{kind}:Runtime is '{forced}', but the choices are {string.Join(", ", [ContainerRuntimeName, .. locals.Select(l => l.Name)])}.");
            return runtime.TryCreate(services)
                ?? throw new DistributedApplicationException($"Resource '{resource.Name}': the forced runtime '{runtime.Name}' is not available here; it needs {runtime.Requirement}.");
        }

        if (hasImage && await containerEngine.GetEngineAsync() is { } engine)
        {
            return new ContainerLauncher(engine, services.GetRequiredService<AppHostPaths>(), services.GetRequiredService<ProcessLauncher>());
        }

        if (forced is not null)
        {
            throw new DistributedApplicationException(
                $"Resource '{resource.Name}': Hosting:{kind}:Runtime is 'container', but no container engine answered. Start Docker or Podman, or remove the setting.");
        }

        foreach (var local in locals)
        {
            if (local.TryCreate(services) is { } launcher)
            {
                return launcher;
            }
        }

        var needs = string.Join("; or ", [hasImage ? "a running container engine (Docker or Podman)" : null, .. locals.Select(l => l.Requirement)]);
        throw new DistributedApplicationException($"Resource '{resource.Name}' cannot start: this machine has none of what it needs: {needs}.");
    }

    internal static string KindOf(IResource resource) =>
        resource.GetType().Name.Replace("ServerResource", "", StringComparison.Ordinal).Replace("Resource", "", StringComparison.Ordinal);
}

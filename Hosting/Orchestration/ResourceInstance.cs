using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Processes;

namespace Aspire.Hosting.Orchestration;

/// <summary>
/// One running copy of a resource: a replica of a project, or the single process of a server. Resources without a
/// launcher (a database inside a server) are virtual: they follow their parent and only run health checks.
/// </summary>
internal sealed class ResourceInstance(IResource resource, string name, int index, int replicaCount, IResourceLauncher? launcher,
    IReadOnlyDictionary<string, AllocatedEndpoint> endpoints)
{
    public IResource Resource { get; } = resource;

    /// <summary>The instance id: the resource name, or <c>{name}-{index}</c> for replicas.</summary>
    public string Name { get; } = name;

    public int Index { get; } = index;

    public int ReplicaCount { get; } = replicaCount;

    public IResourceLauncher? Launcher { get; } = launcher;

    /// <summary>What this instance itself listens on (a replica's own port, behind the resource's proxy).</summary>
    public IReadOnlyDictionary<string, AllocatedEndpoint> Endpoints { get; } = endpoints;

    /// <summary>Serialises start and stop of this instance (commands may race with start-up and shutdown).</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    public ManagedProcess? Process { get; set; }

    /// <summary>Cancelled when the current run ends: stops its health monitoring.</summary>
    public CancellationTokenSource? RunLifetime { get; set; }

    /// <summary>Completes once the current process's exit has been recorded.</summary>
    public Task ExitHandled { get; set; } = Task.CompletedTask;

    public bool StopRequested { get; set; }

    public bool IsRunning { get; set; }
}

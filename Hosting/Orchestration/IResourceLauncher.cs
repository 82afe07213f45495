using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Processes;

namespace Aspire.Hosting.Orchestration;

/// <summary>Turns a resource instance into the process that runs it (the program itself, or a container engine client).</summary>
internal interface IResourceLauncher
{
    /// <summary>Shown to the user: "process", "container (docker)", "redis-server", "garnet"...</summary>
    string Runtime { get; }

    Task<ProcessSpec> CreateProcessSpecAsync(LaunchContext context, CancellationToken cancellationToken);
}

/// <summary>What a launcher knows about the instance it starts.</summary>
internal sealed record LaunchContext(
    IResource Resource,
    string InstanceName,
    IReadOnlyDictionary<string, AllocatedEndpoint> Endpoints,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string> Arguments,
    Action<string, bool> Log);

/// <summary>
/// A way to run a container resource without a container engine (PostgreSQL's own binaries, redis-server, Garnet).
/// Annotations are tried in order; <see cref="TryCreate"/> returns null, with <see cref="Requirement"/> explaining
/// what is missing, when the runtime is not available on this machine.
/// </summary>
internal sealed record LocalRuntimeAnnotation(string Name, string Requirement, Func<IServiceProvider, IResourceLauncher?> TryCreate) : IResourceAnnotation;

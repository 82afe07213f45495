using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting.ApplicationModel;

public sealed record ResourceEvent(IResource Resource, string ResourceId, CustomResourceSnapshot Snapshot);

public enum WaitBehavior
{
    /// <summary>Keep waiting when the resource fails; it may be started again (Aspire's default).</summary>
    WaitOnResourceUnavailable,

    /// <summary>Throw as soon as the resource fails to start or exits.</summary>
    StopOnResourceUnavailable,
}

/// <summary>
/// The single source of truth for resource state: snapshots are replaced under one lock with a growing version, and
/// every watcher receives the current snapshots followed by each change.
/// </summary>
public sealed class ResourceNotificationService(TimeProvider timeProvider)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ResourceEvent> _current = new(StringComparer.Ordinal);
    private readonly List<Channel<ResourceEvent>> _watchers = [];
    private long _version;

    public ResourceNotificationService() : this(TimeProvider.System)
    {
    }

    public Task PublishUpdateAsync(IResource resource, Func<CustomResourceSnapshot, CustomResourceSnapshot> stateFactory) =>
        PublishUpdateAsync(resource, resource.Name, stateFactory);

    public Task PublishUpdateAsync(IResource resource, string resourceId, Func<CustomResourceSnapshot, CustomResourceSnapshot> stateFactory)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentException.ThrowIfNullOrEmpty(resourceId);
        ArgumentNullException.ThrowIfNull(stateFactory);

        lock (_lock)
        {
            var previous = _current.TryGetValue(resourceId, out var existing)
                ? existing.Snapshot
                : new CustomResourceSnapshot
                {
                    ResourceType = ResourceTypeName(resource),
                    DisplayName = resource.Name,
                    State = KnownResourceStates.NotStarted,
                    CreationTimeStamp = timeProvider.GetUtcNow().UtcDateTime,
                };
            var next = stateFactory(previous) with { Version = ++_version };
            var resourceEvent = new ResourceEvent(resource, resourceId, next);
            _current[resourceId] = resourceEvent;
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryWrite(resourceEvent);
            }
        }

        return Task.CompletedTask;
    }

    public bool TryGetCurrentState(string resourceId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ResourceEvent? resourceEvent)
    {
        lock (_lock)
        {
            return _current.TryGetValue(resourceId, out resourceEvent);
        }
    }

    public IReadOnlyList<ResourceEvent> GetCurrentStates()
    {
        lock (_lock)
        {
            return [.. _current.Values.OrderBy(e => e.Snapshot.CreationTimeStamp).ThenBy(e => e.ResourceId, StringComparer.Ordinal)];
        }
    }

    /// <summary>Every current snapshot, then each change as it happens.</summary>
    public async IAsyncEnumerable<ResourceEvent> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateUnbounded<ResourceEvent>(new UnboundedChannelOptions { SingleReader = true });
        ResourceEvent[] initial;
        lock (_lock)
        {
            initial = [.. _current.Values];
            _watchers.Add(channel);
        }

        try
        {
            foreach (var resourceEvent in initial)
            {
                yield return resourceEvent;
            }

            await foreach (var resourceEvent in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return resourceEvent;
            }
        }
        finally
        {
            lock (_lock)
            {
                _watchers.Remove(channel);
            }
        }
    }

    /// <summary>Waits until an instance of the resource (by model name or instance name) satisfies the predicate.</summary>
    public async Task<ResourceEvent> WaitForResourceAsync(string resourceName, Func<ResourceEvent, bool> predicate, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceName);
        ArgumentNullException.ThrowIfNull(predicate);
        await foreach (var resourceEvent in WatchAsync(cancellationToken))
        {
            if (Matches(resourceEvent, resourceName) && predicate(resourceEvent))
            {
                return resourceEvent;
            }
        }

        throw new OperationCanceledException(cancellationToken);
    }

    public async Task<string> WaitForResourceAsync(string resourceName, string? targetState = null, CancellationToken cancellationToken = default)
    {
        targetState ??= KnownResourceStates.Running;
        var reached = await WaitForResourceAsync(resourceName, e => string.Equals(e.Snapshot.State, targetState, StringComparison.OrdinalIgnoreCase), cancellationToken);
        return reached.Snapshot.State!;
    }

    public Task<ResourceEvent> WaitForResourceHealthyAsync(string resourceName, CancellationToken cancellationToken = default) =>
        WaitForResourceHealthyAsync(resourceName, WaitBehavior.WaitOnResourceUnavailable, cancellationToken);

    /// <summary>Waits until every replica of the resource runs and reports Healthy.</summary>
    public async Task<ResourceEvent> WaitForResourceHealthyAsync(string resourceName, WaitBehavior waitBehavior, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceName);
        var instances = new Dictionary<string, ResourceEvent>(StringComparer.Ordinal);
        await foreach (var resourceEvent in WatchAsync(cancellationToken))
        {
            if (!Matches(resourceEvent, resourceName))
            {
                continue;
            }

            instances[resourceEvent.ResourceId] = resourceEvent;
            var snapshot = resourceEvent.Snapshot;
            if (waitBehavior == WaitBehavior.StopOnResourceUnavailable && KnownResourceStates.TerminalStates.Contains(snapshot.State))
            {
                throw new DistributedApplicationException(
                    $"Resource '{resourceEvent.ResourceId}' is {snapshot.State}{(snapshot.ExitCode is { } code ? $" (exit code {code})" : "")} and will not become healthy.");
            }

            var expected = resourceEvent.ResourceId == resourceName ? 1 : snapshot.ReplicaCount;
            var healthy = instances.Values.Where(IsHealthy).ToList();
            if (healthy.Count >= expected)
            {
                return resourceEvent;
            }
        }

        throw new OperationCanceledException(cancellationToken);
    }

    internal static bool IsHealthy(ResourceEvent resourceEvent) =>
        resourceEvent.Snapshot.State == KnownResourceStates.Running && resourceEvent.Snapshot.HealthStatus == HealthStatus.Healthy;

    private static bool Matches(ResourceEvent resourceEvent, string resourceName) =>
        string.Equals(resourceEvent.Resource.Name, resourceName, StringComparison.OrdinalIgnoreCase)
        || string.Equals(resourceEvent.ResourceId, resourceName, StringComparison.OrdinalIgnoreCase);

    internal static string ResourceTypeName(IResource resource) => resource switch
    {
        ProjectResource => "Project",
        ParameterResource => "Parameter",
        ContainerResource => "Container",
        ExecutableResource => "Executable",
        _ => resource.GetType().Name.Replace("Resource", "", StringComparison.Ordinal),
    };
}

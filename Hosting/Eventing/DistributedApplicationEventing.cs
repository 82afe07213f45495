using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting.Eventing;

public interface IDistributedApplicationEventing
{
    void Subscribe<T>(Func<T, CancellationToken, Task> callback) where T : IDistributedApplicationEvent;

    void Subscribe<T>(IResource resource, Func<T, CancellationToken, Task> callback) where T : IDistributedApplicationResourceEvent;

    Task PublishAsync<T>(T @event, CancellationToken cancellationToken = default) where T : IDistributedApplicationEvent;
}

/// <summary>Subscribers run one after another in subscription order; an exception stops the publisher.</summary>
public sealed class DistributedApplicationEventing : IDistributedApplicationEventing
{
    private readonly Lock _lock = new();
    private readonly List<(Type EventType, IResource? Resource, Func<IDistributedApplicationEvent, CancellationToken, Task> Callback)> _subscriptions = [];

    public void Subscribe<T>(Func<T, CancellationToken, Task> callback) where T : IDistributedApplicationEvent
    {
        ArgumentNullException.ThrowIfNull(callback);
        lock (_lock)
        {
            _subscriptions.Add((typeof(T), null, (e, ct) => callback((T)e, ct)));
        }
    }

    public void Subscribe<T>(IResource resource, Func<T, CancellationToken, Task> callback) where T : IDistributedApplicationResourceEvent
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(callback);
        lock (_lock)
        {
            _subscriptions.Add((typeof(T), resource, (e, ct) => callback((T)e, ct)));
        }
    }

    public async Task PublishAsync<T>(T @event, CancellationToken cancellationToken = default) where T : IDistributedApplicationEvent
    {
        ArgumentNullException.ThrowIfNull(@event);
        var target = (@event as IDistributedApplicationResourceEvent)?.Resource;
        List<Func<IDistributedApplicationEvent, CancellationToken, Task>> callbacks;
        lock (_lock)
        {
            callbacks = [.. _subscriptions
                .Where(s => s.EventType == typeof(T) && (s.Resource is null || ReferenceEquals(s.Resource, target)))
                .Select(s => s.Callback)];
        }

        foreach (var callback in callbacks)
        {
            await callback(@event, cancellationToken);
        }
    }
}

using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting.Eventing;

public interface IDistributedApplicationEvent;

/// <summary>An event about one resource; subscribers may subscribe for that resource only.</summary>
public interface IDistributedApplicationResourceEvent : IDistributedApplicationEvent
{
    IResource Resource { get; }
}

/// <summary>Raised once before anything starts; the model may still be inspected.</summary>
public sealed record BeforeStartEvent(IServiceProvider Services, DistributedApplicationModel Model) : IDistributedApplicationEvent;

/// <summary>Raised before each start of a resource (after its dependencies are ready).</summary>
public sealed record BeforeResourceStartedEvent(IResource Resource, IServiceProvider Services) : IDistributedApplicationResourceEvent;

/// <summary>Raised each time a resource becomes healthy after starting (Postgres creates its databases here).</summary>
public sealed record ResourceReadyEvent(IResource Resource, IServiceProvider Services) : IDistributedApplicationResourceEvent;

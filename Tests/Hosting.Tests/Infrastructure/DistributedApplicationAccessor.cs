using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Hosting.Tests.Infrastructure;

/// <summary>Reads current snapshots of a running application.</summary>
public readonly struct DistributedApplicationAccessor(DistributedApplication app)
{
    public CustomResourceSnapshot Snapshot(string resourceId) =>
        app.ResourceNotifications.TryGetCurrentState(resourceId, out var current) ? current.Snapshot : throw new InvalidOperationException($"No resource '{resourceId}'.");

    public IReadOnlyDictionary<string, string?> Environment(string resourceId) =>
        Snapshot(resourceId).EnvironmentVariables.ToDictionary(v => v.Name, v => v.Value);
}

using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A probe the orchestrator runs against each instance; the resource is Healthy when every probe passes.
/// <see cref="HttpPath"/> is set for HTTP probes, so deployments can probe the same path.
/// </summary>
public sealed record HealthCheckAnnotation(string Key, Func<ResourceHealthCheckContext, CancellationToken, Task<HealthCheckResult>> Check) : IResourceAnnotation
{
    public string? HttpPath { get; init; }
}

/// <summary>What a probe needs to reach one instance.</summary>
public sealed record ResourceHealthCheckContext(IResource Resource, string InstanceName, IReadOnlyDictionary<string, AllocatedEndpoint> Endpoints, IServiceProvider Services);

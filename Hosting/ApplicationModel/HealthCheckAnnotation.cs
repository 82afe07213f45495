using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>A probe the orchestrator runs against each instance; the resource is Healthy when every probe passes.</summary>
public sealed record HealthCheckAnnotation(string Key, Func<ResourceHealthCheckContext, CancellationToken, Task<HealthCheckResult>> Check) : IResourceAnnotation;

/// <summary>What a probe needs to reach one instance.</summary>
public sealed record ResourceHealthCheckContext(IResource Resource, string InstanceName, IReadOnlyDictionary<string, AllocatedEndpoint> Endpoints, IServiceProvider Services);

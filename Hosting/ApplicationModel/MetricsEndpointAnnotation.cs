namespace Aspire.Hosting.ApplicationModel;

/// <summary>Where Prometheus scrapes the resource, and the parameter holding the bearer token it must send.</summary>
public sealed record MetricsEndpointAnnotation(string Path, string EndpointName, ParameterResource? BearerToken) : IResourceAnnotation;

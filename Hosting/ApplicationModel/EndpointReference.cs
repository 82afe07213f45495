namespace Aspire.Hosting.ApplicationModel;

public enum EndpointProperty
{
    Url,
    Host,
    Port,
    Scheme,
    TargetPort,
    HostAndPort,
}

/// <summary>A reference to a named endpoint of a resource, resolved once the orchestrator allocates it.</summary>
public sealed class EndpointReference : IManifestExpressionProvider, IValueProvider, IValueWithReferences
{
    public EndpointReference(IResourceWithEndpoints owner, string endpointName)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentException.ThrowIfNullOrEmpty(endpointName);
        Resource = owner;
        EndpointName = endpointName;
    }

    public IResourceWithEndpoints Resource { get; }

    public string EndpointName { get; }

    public bool Exists => Resource.Annotations.OfType<EndpointAnnotation>().Any(e => e.Name == EndpointName);

    public EndpointAnnotation Annotation =>
        Resource.Annotations.OfType<EndpointAnnotation>().SingleOrDefault(e => e.Name == EndpointName)
        ?? throw new InvalidOperationException($"Resource '{Resource.Name}' has no endpoint named '{EndpointName}'.");

    public bool IsAllocated => Annotation.AllocatedEndpoint is not null;

    public AllocatedEndpoint Allocated => Annotation.AllocatedEndpoint
        ?? throw new InvalidOperationException($"Endpoint '{EndpointName}' of resource '{Resource.Name}' has not been allocated yet; it is only known once the application starts.");

    public string Url => Allocated.UriString;

    public string Host => Allocated.Address;

    public int Port => Allocated.Port;

    public string Scheme => Annotation.UriScheme;

    public int? TargetPort => Annotation.TargetPort;

    public string ValueExpression => $"{{{Resource.Name}.bindings.{EndpointName}.url}}";

    public IEnumerable<object> References => [Resource];

    public EndpointReferenceExpression Property(EndpointProperty property) => new(this, property);

    public ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<string?>(Url);
}

/// <summary>One property (host, port, url...) of an endpoint, usable inside a <see cref="ReferenceExpression"/>.</summary>
public sealed class EndpointReferenceExpression(EndpointReference endpoint, EndpointProperty property)
    : IManifestExpressionProvider, IValueProvider, IValueWithReferences
{
    public EndpointReference Endpoint { get; } = endpoint;

    public EndpointProperty Property { get; } = property;

    public string ValueExpression => Property switch
    {
        EndpointProperty.Url => Endpoint.ValueExpression,
        EndpointProperty.HostAndPort => $"{{{Endpoint.Resource.Name}.bindings.{Endpoint.EndpointName}.host}}:{{{Endpoint.Resource.Name}.bindings.{Endpoint.EndpointName}.port}}",
        _ => $"{{{Endpoint.Resource.Name}.bindings.{Endpoint.EndpointName}.{Property.ToString().ToLowerInvariant()}}}",
    };

    public IEnumerable<object> References => [Endpoint.Resource];

    public ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<string?>(Property switch
    {
        EndpointProperty.Url => Endpoint.Url,
        EndpointProperty.Host => Endpoint.Host,
        EndpointProperty.Port => Endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        EndpointProperty.Scheme => Endpoint.Scheme,
        EndpointProperty.TargetPort => (Endpoint.TargetPort ?? Endpoint.Port).ToString(System.Globalization.CultureInfo.InvariantCulture),
        EndpointProperty.HostAndPort => Endpoint.Allocated.EndPointString,
        _ => throw new InvalidOperationException($"Unknown endpoint property {Property}."),
    });
}

namespace Aspire.Hosting.ApplicationModel;

/// <summary>Where an endpoint can be reached while the application runs.</summary>
public sealed record AllocatedEndpoint(EndpointAnnotation Endpoint, string Address, int Port)
{
    public string UriString => $"{Endpoint.UriScheme}://{Address}:{Port}";

    public string EndPointString => $"{Address}:{Port}";

    public override string ToString() => UriString;
}

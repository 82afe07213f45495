using System.Net.Sockets;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A network endpoint of a resource. <see cref="Port"/> is what other resources and the user connect to;
/// <see cref="TargetPort"/> is what the process (or container) listens on. Null ports are allocated at start.
/// </summary>
public sealed class EndpointAnnotation : IResourceAnnotation
{
    public EndpointAnnotation(ProtocolType protocol, string? uriScheme = null, string? transport = null, string? name = null,
        int? port = null, int? targetPort = null, bool isExternal = false, bool isProxied = true)
    {
        uriScheme ??= "tcp";
        name ??= uriScheme;
        ResourceNameValidator.ThrowIfInvalid(name);
        if (port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, "A port is between 0 and 65535.");
        }

        if (targetPort is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(targetPort), targetPort, "A port is between 0 and 65535.");
        }

        Protocol = protocol;
        UriScheme = uriScheme;
        Transport = transport ?? (uriScheme is "http" or "https" ? "http" : uriScheme);
        Name = name;
        Port = port;
        TargetPort = targetPort;
        IsExternal = isExternal;
        IsProxied = isProxied;
    }

    public string Name { get; }

    public ProtocolType Protocol { get; }

    public string UriScheme { get; set; }

    public string Transport { get; set; }

    public int? Port { get; set; }

    public int? TargetPort { get; set; }

    public bool IsExternal { get; set; }

    public bool IsProxied { get; set; }

    /// <summary>Set by the orchestrator once the endpoint has a host and port.</summary>
    public AllocatedEndpoint? AllocatedEndpoint { get; set; }
}

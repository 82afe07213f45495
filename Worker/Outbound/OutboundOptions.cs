namespace Worker.Outbound;

/// <summary>Where webhooks and the agent's http-get may connect. Section <c>Jobs:Outbound</c>.</summary>
public sealed class OutboundOptions
{
    public const string Section = "Jobs:Outbound";

    /// <summary>Host names allowed (exact, or <c>*.example.com</c> for subdomains); empty allows any public host.</summary>
    public string[] AllowedHosts { get; set; } = [];

    /// <summary>Allows loopback, private and link-local addresses (off by default: they reach internal services).</summary>
    public bool AllowPrivateNetworks { get; set; }
}

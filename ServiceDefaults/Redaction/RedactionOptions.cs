namespace Microsoft.Extensions.Hosting;

/// <summary>Bound from <c>Redaction</c>.</summary>
public sealed class RedactionOptions
{
    public const string SectionName = "Redaction";

    /// <summary>Also mask IPv4/IPv6 addresses (client addresses are personal data under GDPR). Off by default.</summary>
    public bool MaskIpAddresses { get; set; }

    /// <summary>Extra attribute/field names (case-insensitive substrings) whose values are always masked.</summary>
    public List<string> SensitiveNames { get; } = [];
}

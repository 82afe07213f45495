namespace Microsoft.Extensions.Hosting;

/// <summary>Bound from <c>SecurityHeaders</c>.</summary>
public sealed class SecurityHeadersOptions
{
    public const string SectionName = "SecurityHeaders";

    /// <summary>Sent on every response that is not HTML and sets no policy of its own (HTML apps bring their own).</summary>
    public string ContentSecurityPolicy { get; set; } = "default-src 'none'; frame-ancestors 'none'";
}

namespace Microsoft.Extensions.Hosting;

/// <summary>Bound from <c>Metrics</c>.</summary>
public sealed class MetricsEndpointOptions
{
    public const string SectionName = "Metrics";

    /// <summary>The scope a hashed key needs to scrape.</summary>
    public const string Scope = "metrics";

    /// <summary>Serve the Prometheus scrape endpoint at all.</summary>
    public bool Enabled { get; set; } = true;

    public string Path { get; set; } = "/metrics";

    /// <summary>A separate management port for the scrape endpoint (then it answers only there); null: the service's own ports.</summary>
    public int? Port { get; set; }
}

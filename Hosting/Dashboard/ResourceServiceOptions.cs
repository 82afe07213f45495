namespace Aspire.Hosting.Dashboard;

/// <summary>The AppHost's gRPC resource service that the dashboard reads resources and console logs from.</summary>
internal sealed class ResourceServiceOptions
{
    public const string ApiKeyHeader = "x-resource-service-api-key";

    /// <summary>Loopback URL to listen on; a free port when unset.</summary>
    public string? EndpointUrl { get; set; }

    /// <summary>"ApiKey" (default) or "Unsecured".</summary>
    public string AuthMode { get; set; } = "ApiKey";

    /// <summary>Generated per run unless configured.</summary>
    public string ApiKey { get; set; } = "";

    public bool IsUnsecured => string.Equals(AuthMode, "Unsecured", StringComparison.OrdinalIgnoreCase);
}

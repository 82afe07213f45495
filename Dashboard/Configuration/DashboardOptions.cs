namespace Aspire.Dashboard.Configuration;

// Bound from the "Dashboard" configuration section (env DASHBOARD__...), with Aspire's names.
public sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    public string ApplicationName { get; set; } = "Aspire";
    public OtlpOptions Otlp { get; set; } = new();
    public FrontendOptions Frontend { get; set; } = new();
    public ApiOptions Api { get; set; } = new();
    public ResourceServiceClientOptions ResourceServiceClient { get; set; } = new();
    public TelemetryLimitOptions TelemetryLimits { get; set; } = new();
}

public sealed class OtlpOptions
{
    public OtlpAuthMode? AuthMode { get; set; }
    public string? PrimaryApiKey { get; set; }
    public string? SecondaryApiKey { get; set; }
    public string? GrpcEndpointUrl { get; set; }
    public string? HttpEndpointUrl { get; set; }

    // Applies to both protocols; 4 MiB is gRPC's customary message limit.
    public int MaxRequestBodySize { get; set; } = 4 * 1024 * 1024;
}

public sealed class FrontendOptions
{
    public FrontendAuthMode? AuthMode { get; set; }
    public string? BrowserToken { get; set; }
    public string? EndpointUrls { get; set; }
    public int MaxConsoleLogCount { get; set; } = 10_000;
}

public sealed class ApiOptions
{
    public ApiAuthMode? AuthMode { get; set; }
    public string? PrimaryApiKey { get; set; }
    public string? SecondaryApiKey { get; set; }
}

public sealed class ResourceServiceClientOptions
{
    public string? Url { get; set; }
    public ResourceClientAuthMode? AuthMode { get; set; }
    public string? ApiKey { get; set; }
}

public sealed class TelemetryLimitOptions
{
    public int MaxLogCount { get; set; } = 10_000;
    public int MaxTraceCount { get; set; } = 10_000;

    // Caps one trace flooded with spans as well as the total: the oldest traces go first.
    public int MaxSpanCount { get; set; } = 100_000;

    // Per resource and instrument.
    public int MaxMetricsCount { get; set; } = 50_000;

    // Distinct resources (service.name + service.instance.id); telemetry from more is refused.
    public int MaxResourceCount { get; set; } = 1_000;

    // Instruments over all resources; points of more are refused.
    public int MaxInstrumentCount { get; set; } = 2_000;

    // Distinct attribute sets (time series) per instrument; points of more are refused.
    public int MaxMetricSeriesCount { get; set; } = 1_000;
    public int MaxAttributeCount { get; set; } = 128;
    public int MaxAttributeLength { get; set; } = 8 * 1024;
    public int MaxSpanEventCount { get; set; } = 128;
}

public enum FrontendAuthMode
{
    BrowserToken,
    Unsecured,
}

public enum OtlpAuthMode
{
    ApiKey,
    Unsecured,
}

public enum ApiAuthMode
{
    ApiKey,
    Unsecured,
}

public enum ResourceClientAuthMode
{
    ApiKey,
    Unsecured,
}

using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting.Orchestration;

internal sealed record OtlpEndpoint(string Endpoint, string Protocol, string? ApiKey);

/// <summary>Where services send telemetry: the dashboard's OTLP endpoint, or one given in configuration.</summary>
internal sealed class OtlpEndpointResolver(IConfiguration configuration)
{
    /// <summary>Set when the AppHost runs the dashboard.</summary>
    public Func<OtlpEndpoint?>? DashboardEndpoint { get; set; }

    public OtlpEndpoint? Resolve()
    {
        if (DashboardEndpoint?.Invoke() is { } dashboard)
        {
            return dashboard;
        }

        var apiKey = configuration["AppHost:OtlpApiKey"];
        if (configuration["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] is { Length: > 0 } grpc)
        {
            return new OtlpEndpoint(grpc, "grpc", apiKey);
        }

        return configuration["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] is { Length: > 0 } http ? new OtlpEndpoint(http, "http/protobuf", apiKey) : null;
    }
}

using Microsoft.Extensions.Options;

namespace Aspire.Dashboard.Configuration;

internal sealed class DashboardOptionsValidator : IValidateOptions<DashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardOptions options)
    {
        var errors = new List<string>();
        if (options.Otlp.AuthMode == OtlpAuthMode.ApiKey && string.IsNullOrEmpty(options.Otlp.PrimaryApiKey))
        {
            errors.Add("Dashboard:Otlp:AuthMode is ApiKey but Dashboard:Otlp:PrimaryApiKey is not set.");
        }

        if (options.ResourceServiceClient.AuthMode == ResourceClientAuthMode.ApiKey && string.IsNullOrEmpty(options.ResourceServiceClient.ApiKey))
        {
            errors.Add("Dashboard:ResourceServiceClient:AuthMode is ApiKey but Dashboard:ResourceServiceClient:ApiKey is not set.");
        }

        if (options.ResourceServiceClient.Url is { } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            errors.Add($"The resource service URL '{url}' is not an absolute URI.");
        }

        var limits = options.TelemetryLimits;
        foreach (var (key, value) in new[]
        {
            ("MaxLogCount", limits.MaxLogCount), ("MaxTraceCount", limits.MaxTraceCount), ("MaxSpanCount", limits.MaxSpanCount),
            ("MaxMetricsCount", limits.MaxMetricsCount), ("MaxResourceCount", limits.MaxResourceCount),
            ("MaxInstrumentCount", limits.MaxInstrumentCount), ("MaxMetricSeriesCount", limits.MaxMetricSeriesCount),
            ("MaxAttributeCount", limits.MaxAttributeCount),
            ("MaxAttributeLength", limits.MaxAttributeLength), ("MaxSpanEventCount", limits.MaxSpanEventCount),
        })
        {
            if (value <= 0)
            {
                errors.Add($"Dashboard:TelemetryLimits:{key} must be positive (was {value}).");
            }
        }

        if (options.Otlp.MaxRequestBodySize <= 0)
        {
            errors.Add("Dashboard:Otlp:MaxRequestBodySize must be positive.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

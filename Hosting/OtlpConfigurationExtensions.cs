using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Orchestration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aspire.Hosting;

public static class OtlpConfigurationExtensions
{
    /// <summary>
    /// Injects the OpenTelemetry SDK settings (Aspire's): service name and instance id always; exporter endpoint,
    /// protocol and API key when a dashboard (or <c>ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL</c>) receives telemetry; short
    /// export intervals in Development so the dashboard is live.
    /// </summary>
    public static IResourceBuilder<T> WithOtlpExporter<T>(this IResourceBuilder<T> builder) where T : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithAnnotation(new EnvironmentCallbackAnnotation(context =>
        {
            // A deployment's own telemetry pipeline configures OTLP; the dashboard exists only locally.
            if (context.ExecutionContext.IsPublishMode)
            {
                return Task.CompletedTask;
            }

            var env = context.EnvironmentVariables;
            env["OTEL_SERVICE_NAME"] = context.Resource.Name;
            env["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={context.InstanceName ?? context.Resource.Name}";

            if (context.Services.GetService<OtlpEndpointResolver>()?.Resolve() is not { } otlp)
            {
                return Task.CompletedTask;
            }

            env["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp.Endpoint;
            env["OTEL_EXPORTER_OTLP_PROTOCOL"] = otlp.Protocol;
            if (otlp.ApiKey is not null)
            {
                env["OTEL_EXPORTER_OTLP_HEADERS"] = $"x-otlp-api-key={otlp.ApiKey}";
            }

            if (context.Services.GetService<IHostEnvironment>()?.IsDevelopment() == true)
            {
                env["OTEL_BLRP_SCHEDULE_DELAY"] = "1000";
                env["OTEL_BSP_SCHEDULE_DELAY"] = "1000";
                env["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";
                env["OTEL_TRACES_SAMPLER"] = "always_on";
                env["OTEL_METRICS_EXEMPLAR_FILTER"] = "trace_based";
            }

            return Task.CompletedTask;
        }));
    }
}

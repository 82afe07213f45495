using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

public static class OpenTelemetryExtensions
{
    /// <summary>
    /// Traces, metrics and logs through OpenTelemetry, scrubbed by <see cref="TelemetryRedactor"/> before any exporter
    /// sees them; OTLP export only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; console logs in the service format.
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        builder.Services.AddTelemetryRedaction();

        // Console lines and OpenTelemetry's log records take trace and span ids from Activity.Current themselves; the
        // host's default activity-tracking scope would only repeat them, at a cost on every log call.
        builder.Logging.Configure(options => options.ActivityTrackingOptions = ActivityTrackingOptions.None);
        builder.Services.AddSingleton<LogScopeCapture>();
        builder.Logging.Services.AddSingleton<ILoggerProvider>(sp => sp.GetRequiredService<LogScopeCapture>());
        builder.Logging.AddConsoleFormatter<ServiceConsoleFormatter, ServiceConsoleFormatterOptions>();
        foreach (var console in builder.Services.Where(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider)).ToList())
        {
            builder.Services.Remove(console);
        }
        builder.Services.AddSingleton<StdoutWriter>();
        builder.Services.AddSingleton<ILoggerProvider>(sp => new StdoutLoggerProvider(
            sp.GetServices<ConsoleFormatter>().OfType<ServiceConsoleFormatter>().Single(),
            sp.GetRequiredService<StdoutWriter>()));

        var telemetry = builder.Services.AddOpenTelemetry();
        if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
        {
            telemetry.ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName));
        }

        telemetry.WithLogging(
            logging => logging.AddProcessor(sp => new RedactingLogProcessor(sp.GetRequiredService<TelemetryRedactor>(), sp.GetRequiredService<LogScopeCapture>())),
            options =>
            {
                options.IncludeFormattedMessage = true;
                // Scopes are exported, redacted, by RedactingLogProcessor.
                options.IncludeScopes = false;
            });

        // The access log is for stdout; over OTLP the server span and http.server.request.duration carry the same
        // facts, and exporting a log record per request would roughly double the telemetry cost of a request.
        // Logging:OpenTelemetry:LogLevel:AccessLog=Information exports it anyway.
        if (configuration[$"Logging:OpenTelemetry:LogLevel:{AccessLogMiddleware.Category}"] is null)
        {
            builder.Logging.AddFilter<OpenTelemetryLoggerProvider>(AccessLogMiddleware.Category, LogLevel.Warning);
        }

        telemetry.WithMetrics(metrics => metrics
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddRuntimeInstrumentation()
            .AddMeter(builder.Environment.ApplicationName));

        telemetry.WithTracing(tracing =>
        {
            // OTEL_TRACES_SAMPLER, when set, is applied by the SDK; otherwise parent-based, everything sampled by default.
            if (string.IsNullOrWhiteSpace(configuration["OTEL_TRACES_SAMPLER"]))
            {
                var ratio = configuration.GetValue<double?>("OTEL_TRACES_SAMPLER_ARG") ?? 1.0;
                tracing.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(ratio)));
            }
            tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsProbe(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddProcessor(sp => new RedactingActivityProcessor(sp.GetRequiredService<TelemetryRedactor>()));
        });

        builder.AddPrometheusMetrics();

        // Added last so the redaction processors above run before the exporter's.
        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }
        return builder;
    }

    internal static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/alive") || path.StartsWithSegments("/metrics");
}

using Aspire.Dashboard.Authentication;
using Aspire.Dashboard.Configuration;
using Aspire.Dashboard.Otlp;
using Aspire.Dashboard.Otlp.Grpc;
using Aspire.Dashboard.Otlp.Http;
using Aspire.Dashboard.Otlp.Ingest;
using Aspire.Dashboard.Otlp.Storage;
using Microsoft.Extensions.Options;

namespace Aspire.Dashboard.Extensions;

internal static class Extensions
{
    public static void AddDashboardServices(this WebApplicationBuilder builder)
    {
        // Resolved once up front: listeners and auth schemes depend on it, and a generated browser
        // token is written back to configuration so every later options instance agrees.
        var options = builder.Configuration.GetSection(DashboardOptions.SectionName).Get<DashboardOptions>() ?? new DashboardOptions();
        new DashboardOptionsSetup(builder.Configuration).PostConfigure(null, options);
        var validation = new DashboardOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(DashboardOptions.SectionName, typeof(DashboardOptions), validation.Failures);
        }

        var services = builder.Services;
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<DashboardOptions>, DashboardOptionsSetup>();
        services.AddSingleton<IValidateOptions<DashboardOptions>, DashboardOptionsValidator>();

        builder.ConfigureDashboardEndpoints(options);
        services.AddDashboardAuthentication(options);

        services.AddSingleton<ResourceRegistry>();
        services.AddSingleton<LogStore>();
        services.AddSingleton<TraceStore>();
        services.AddSingleton<MetricStore>();
        services.AddSingleton<OtlpIngestMetrics>();
        services.AddSingleton<TelemetryIngestor>();
        services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = options.Otlp.MaxRequestBodySize);
        services.AddProblemDetails();
    }

    public static void MapOtlp(this WebApplication app)
    {
        var grpc = new ConnectionTypeMetadata(ConnectionTypes.OtlpGrpc);
        app.MapGrpcService<OtlpGrpcTraceService>().WithMetadata(grpc).RequireAuthorization(DashboardAuthentication.OtlpPolicy);
        app.MapGrpcService<OtlpGrpcLogsService>().WithMetadata(grpc).RequireAuthorization(DashboardAuthentication.OtlpPolicy);
        app.MapGrpcService<OtlpGrpcMetricsService>().WithMetadata(grpc).RequireAuthorization(DashboardAuthentication.OtlpPolicy);
        app.MapOtlpHttpApi()
            .WithMetadata(new ConnectionTypeMetadata(ConnectionTypes.OtlpHttp))
            .RequireAuthorization(DashboardAuthentication.OtlpPolicy);
    }

    public static void UseDashboardPipeline(this WebApplication app)
    {
        app.UseMiddleware<OtlpRequestCounting>();
        app.UseRouting();
        app.UseMiddleware<ConnectionTypeMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
    }
}

using Aspire.Dashboard.Authentication;
using Aspire.Dashboard.Components;
using Aspire.Dashboard.Configuration;
using Aspire.Dashboard.Otlp;
using Aspire.Dashboard.Otlp.Grpc;
using Aspire.Dashboard.Otlp.Http;
using Aspire.Dashboard.Otlp.Ingest;
using Aspire.Dashboard.Otlp.Storage;
using Aspire.Dashboard.ResourceService;
using Grpc.AspNetCore.Server.Model;
using Microsoft.Extensions.Options;
using Microsoft.FluentUI.AspNetCore.Components;

namespace Aspire.Dashboard.Extensions;

internal static class Extensions
{
    public static void AddDashboardServices(this WebApplicationBuilder builder)
    {
        // Resolved once up front: listeners and auth schemes depend on it, and a generated browser
        // token is written back to configuration so every later options instance agrees.
        var options = builder.Configuration.GetSection(DashboardOptions.SectionName).Get<DashboardOptions>() ?? new DashboardOptions();
        var tokenGiven = !string.IsNullOrEmpty(options.Frontend.BrowserToken);
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
        if (options.Frontend.AuthMode == FrontendAuthMode.BrowserToken && !tokenGiven)
        {
            services.AddHostedService<LoginLinkReporter>();
        }

        services.AddSingleton<ResourceRegistry>();
        services.AddSingleton<LogStore>();
        services.AddSingleton<TraceStore>();
        services.AddSingleton<MetricStore>();
        services.AddSingleton<OtlpIngestMetrics>();
        services.AddSingleton<TelemetryIngestor>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<DashboardClient>();
        services.AddHostedService(sp => sp.GetRequiredService<DashboardClient>());
        services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = options.Otlp.MaxRequestBodySize);
        services.AddSingleton<IServiceMethodProvider<OtlpGrpcService>, OtlpGrpcMethodProvider>();
        services.AddProblemDetails();
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddFluentUIComponents();
    }

    public static void MapOtlp(this WebApplication app)
    {
        var grpc = new ConnectionTypeMetadata(ConnectionTypes.OtlpGrpc);
        app.MapGrpcService<OtlpGrpcService>().WithMetadata(grpc).RequireAuthorization(DashboardAuthentication.OtlpPolicy);
        app.MapOtlpHttpApi()
            .WithMetadata(new ConnectionTypeMetadata(ConnectionTypes.OtlpHttp))
            .RequireAuthorization(DashboardAuthentication.OtlpPolicy);
    }

    public static void UseDashboardPipeline(this WebApplication app)
    {
        app.UseMiddleware<OtlpRequestCounting>();
        // Browsers asking for a page that does not exist get the not-found page; API and OTLP clients a bare status.
        app.UseWhen(context => HttpMethods.IsGet(context.Request.Method) && context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal),
            branch => branch.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        app.UseRouting();
        app.UseMiddleware<ConnectionTypeMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
    }

    public static void MapDashboardUi(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>()
            .AddInteractiveServerRenderMode()
            .RequireAuthorization(DashboardAuthentication.FrontendPolicy);
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.Hosting;

// Aspire's ServiceDefaults entry points: every service calls AddServiceDefaults() and MapDefaultEndpoints(), nothing else.
public static class Extensions
{
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.ConfigureOpenTelemetry();
        builder.Services.AddServiceHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.AddTransient<RequestIdForwardingHandler>();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddHttpMessageHandler<RequestIdForwardingHandler>();
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        builder.AddApiKeyAuthentication();
        builder.Services.AddServiceProblemDetails(builder.Environment.IsDevelopment());
        builder.Services.AddHttpHardening(builder.Configuration);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, ServiceDefaultsStartupFilter>());
        return builder;
    }

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapServiceHealthEndpoints();
        app.MapPrometheusEndpoint();
        return app;
    }
}

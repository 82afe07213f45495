using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Microsoft.Extensions.Hosting;

internal static class PrometheusEndpointExtensions
{
    public static void AddPrometheusMetrics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetricsEndpointOptions>().BindConfiguration(MetricsEndpointOptions.SectionName);
        var options = builder.Configuration.GetSection(MetricsEndpointOptions.SectionName).Get<MetricsEndpointOptions>() ?? new();
        if (!options.Enabled)
        {
            return;
        }
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddPrometheusExporter());
        if (options.Port is int port)
        {
            builder.Services.AddTransient<IStartupFilter>(_ => new ManagementPortStartupFilter(port));
        }
    }

    public static void MapPrometheusEndpoint(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<MetricsEndpointOptions>>().Value;
        if (!options.Enabled)
        {
            return;
        }
        var endpoint = endpoints.MapPrometheusScrapingEndpoint(options.Path).RequireScope(MetricsEndpointOptions.Scope);
        if (options.Port is int port)
        {
            endpoint.RequireHost($"*:{port}");
        }
    }

    /// <summary>Adds the management port to the addresses the server binds, next to those from ASPNETCORE_URLS.</summary>
    private sealed class ManagementPortStartupFilter(int port) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            if (app.ServerFeatures.Get<IServerAddressesFeature>()?.Addresses is { IsReadOnly: false } addresses)
            {
                if (addresses.Count == 0)
                {
                    // Adding to an empty list would silently drop Kestrel's default address.
                    addresses.Add("http://localhost:5000");
                }
                addresses.Add($"http://*:{port}");
            }
            next(app);
        };
    }
}

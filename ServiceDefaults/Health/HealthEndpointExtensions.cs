using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

internal static class HealthEndpointExtensions
{
    /// <summary>The scope a hashed key needs for <c>/health/detailed</c>.</summary>
    public const string DetailedScope = "health";

    public static IServiceCollection AddServiceHealthChecks(this IServiceCollection services)
    {
        services.AddOptions<ServiceHealthOptions>().BindConfiguration(ServiceHealthOptions.SectionName);
        services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [HealthCheckTags.Live]);

        // Wrap every registration, including those a service adds after AddServiceDefaults.
        services.AddOptions<HealthCheckServiceOptions>().PostConfigure<IOptions<ServiceHealthOptions>, TimeProvider>((options, health, time) =>
        {
            foreach (var registration in options.Registrations)
            {
                var factory = registration.Factory;
                var timeout = health.Value.CheckTimeout;
                registration.Factory = sp => new TimeoutHealthCheck(() => factory(sp), timeout, time);
            }
        });
        return services;
    }

    public static IEndpointRouteBuilder MapServiceHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var live = new HealthCheckOptions { Predicate = r => r.Tags.Contains(HealthCheckTags.Live), ResponseWriter = HealthReportWriter.WriteAsync };
        var ready = new HealthCheckOptions { ResponseWriter = HealthReportWriter.WriteAsync };
        endpoints.MapHealthChecks("/health/live", live);
        endpoints.MapHealthChecks("/health/ready", ready);
        endpoints.MapGet("/health/detailed", DetailedHealthEndpoint.WriteAsync).RequireScope(DetailedScope).ExcludeFromDescription();

        // Aspire's paths, with its plain-text answers, for tools that expect them.
        endpoints.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = r => r.Tags.Contains(HealthCheckTags.Live) });
        endpoints.MapHealthChecks("/health");
        return endpoints;
    }
}

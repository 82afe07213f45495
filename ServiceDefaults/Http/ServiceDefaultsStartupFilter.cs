using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Puts the hardening middleware in front of the application's own pipeline, so services only call
/// <c>AddServiceDefaults()</c> and <c>MapDefaultEndpoints()</c> and cannot get the order wrong.
/// </summary>
internal sealed class ServiceDefaultsStartupFilter(IConfiguration configuration, IHostEnvironment environment) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        // Client address and scheme first: everything after (logs, HSTS, rate limits) must see the real ones.
        if (HttpHardeningExtensions.HasForwardingProxies(configuration))
        {
            app.UseForwardedHeaders();
        }
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<AccessLogMiddleware>();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        if (!environment.IsDevelopment())
        {
            app.UseHsts();
        }
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // ProblemExceptionHandler logs what deserves logging; the middleware's own report would repeat it.
            SuppressDiagnosticsCallback = _ => true,
        });
        app.UseStatusCodePages();
        if (HttpHardeningExtensions.HasCorsOrigins(configuration))
        {
            app.UseCors();
        }
        next(app);
    };
}

using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

internal static class HttpHardeningExtensions
{
    public static IServiceCollection AddHttpHardening(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SecurityHeadersOptions>().BindConfiguration(SecurityHeadersOptions.SectionName);

        services.Configure<KestrelServerOptions>(options =>
        {
            options.AddServerHeader = false;
            // Kestrel's own key; without it RequestBodyLimitMiddleware applies ServiceDefaults' lower default.
            if (configuration.GetValue<long?>("Kestrel:Limits:MaxRequestBodySize") is long configured)
            {
                options.Limits.MaxRequestBodySize = configured;
            }
        });

        var origins = configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? [];
        if (origins.Length > 0)
        {
            services.AddCors(options => options.AddDefaultPolicy(policy => policy
                .WithOrigins(origins)
                .AllowAnyHeader()
                .AllowAnyMethod()
                .WithExposedHeaders(RequestId.HeaderName, "Location", "Retry-After")));
        }

        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // ASP.NET Core trusts loopback by default; here only what configuration names is trusted.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [])
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }
            foreach (var network in configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [])
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return services;
    }

    public static bool HasCorsOrigins(IConfiguration configuration) =>
        configuration.GetSection("Cors:AllowedOrigins").GetChildren().Any();

    public static bool HasForwardingProxies(IConfiguration configuration) =>
        configuration.GetSection("ForwardedHeaders:KnownProxies").GetChildren().Any()
        || configuration.GetSection("ForwardedHeaders:KnownNetworks").GetChildren().Any();
}

using System.Net;
using Aspire.Dashboard.Authentication;
using Aspire.Dashboard.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Aspire.Dashboard.Extensions;

// Binds the frontend, OTLP/gRPC and OTLP/HTTP addresses and tags each connection with the listener
// it came in on. Addresses that coincide share one listener with both tags.
internal static class KestrelEndpoints
{
    public static void ConfigureDashboardEndpoints(this WebApplicationBuilder builder, DashboardOptions options)
    {
        var listeners = Parse(options.Frontend.EndpointUrls!, ConnectionTypes.Frontend)
            .Concat(Parse(options.Otlp.GrpcEndpointUrl!, ConnectionTypes.OtlpGrpc))
            .Concat(Parse(options.Otlp.HttpEndpointUrl!, ConnectionTypes.OtlpHttp))
            .GroupBy(l => (l.Address.Scheme, l.Address.Host, l.Address.Port))
            .Select(g => (g.First().Address, Types: g.Aggregate(ConnectionTypes.None, (t, l) => t | l.Types)))
            .ToList();

        // The listeners below replace ASPNETCORE_URLS (read into the options); clearing it avoids Kestrel's override warning.
        builder.WebHost.UseUrls();
        // Serves library assets (Fluent UI) from the build output outside Development too; a no-op once published.
        builder.WebHost.UseStaticWebAssets();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var (address, types) in listeners)
            {
                Listen(kestrel, address, listen =>
                {
                    // Cleartext gRPC needs HTTP/2 with prior knowledge; other cleartext listeners speak HTTP/1.1,
                    // and TLS listeners negotiate.
                    var tls = address.Scheme == "https";
                    listen.Protocols = tls ? HttpProtocols.Http1AndHttp2
                        : (types & ConnectionTypes.OtlpGrpc) != 0 ? HttpProtocols.Http2 : HttpProtocols.Http1;
                    if (tls)
                    {
                        listen.UseHttps();
                    }

                    var feature = new ConnectionTypeFeature(types);
                    listen.Use(next => connection =>
                    {
                        connection.Features.Set<IConnectionTypeFeature>(feature);
                        return next(connection);
                    });
                });
            }
        });
    }

    private static IEnumerable<(BindingAddress Address, ConnectionTypes Types)> Parse(string urls, ConnectionTypes types) =>
        urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(url => (BindingAddress.Parse(url), types));

    private static void Listen(KestrelServerOptions kestrel, BindingAddress address, Action<ListenOptions> configure)
    {
        if (string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(address.Port, configure);
        }
        else if (IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip))
        {
            kestrel.Listen(ip, address.Port, configure);
        }
        else
        {
            kestrel.ListenAnyIP(address.Port, configure);
        }
    }
}

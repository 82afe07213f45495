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

        // Kestrel binds the addresses itself (so ASPNETCORE_URLS is not "overridden"); each endpoint it creates
        // is then tagged with the listener types its port serves.
        builder.WebHost.UseUrls([.. listeners.Select(l => $"{l.Address.Scheme}://{l.Address.Host}:{l.Address.Port}")]);
        // Serves library assets (Fluent UI) from the build output outside Development too; a no-op once published.
        builder.WebHost.UseStaticWebAssets();
        var typesByPort = listeners.GroupBy(l => l.Address.Port).ToDictionary(g => g.Key, g => g.Aggregate(ConnectionTypes.None, (t, l) => t | l.Types));
        var tlsPorts = listeners.Where(l => l.Address.Scheme == "https").Select(l => l.Address.Port).ToHashSet();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen =>
        {
            var port = listen.IPEndPoint?.Port ?? 0;
            var types = typesByPort.GetValueOrDefault(port, ConnectionTypes.Frontend);
            // Cleartext gRPC needs HTTP/2 with prior knowledge; other cleartext listeners speak HTTP/1.1,
            // and TLS listeners negotiate.
            listen.Protocols = tlsPorts.Contains(port) ? HttpProtocols.Http1AndHttp2
                : (types & ConnectionTypes.OtlpGrpc) != 0 ? HttpProtocols.Http2 : HttpProtocols.Http1;
            var feature = new ConnectionTypeFeature(types);
            listen.Use(next => connection =>
            {
                connection.Features.Set<IConnectionTypeFeature>(feature);
                return next(connection);
            });
        }));
    }

    private static IEnumerable<(BindingAddress Address, ConnectionTypes Types)> Parse(string urls, ConnectionTypes types) =>
        urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(url => (BindingAddress.Parse(url), types));
}

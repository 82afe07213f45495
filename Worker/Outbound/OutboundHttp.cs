
namespace Worker.Outbound;

/// <summary>The named HttpClient for webhooks and http-get: allow-listed connections behind the standard resilience handler.</summary>
public static class OutboundHttp
{
    public const string ClientName = "outbound";

    public static IServiceCollection AddOutboundHttp(this IServiceCollection services)
    {
        services.AddOptions<OutboundOptions>().BindConfiguration(OutboundOptions.Section);
        services.AddSingleton<OutboundGuard>();
        services.AddHttpClient(ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                ConnectCallback = sp.GetRequiredService<OutboundGuard>().ConnectAsync,
                AllowAutoRedirect = false, // a redirect could lead around the allow-list
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            })
            .AddStandardResilienceHandler(options =>
            {
                // A refused host will stay refused; retrying it only delays the failure.
                options.Retry.ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is not OutboundRefusedException and not HttpRequestException { InnerException: OutboundRefusedException }
                    && (args.Outcome.Exception is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException
                        || args.Outcome.Result is { } r && ((int)r.StatusCode >= 500 || (int)r.StatusCode == 429 || (int)r.StatusCode == 408)));
            });
        return services;
    }
}

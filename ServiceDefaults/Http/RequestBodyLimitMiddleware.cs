using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Lowers the request body limit to 1 MiB where the server still has Kestrel's 30 MB default. It works per request,
/// so a limit the service set (Kestrel configuration or code, <c>[RequestSizeLimit]</c> on an endpoint, gRPC's own
/// message limit) always wins, and an over-size body fails as a 413 problem. gRPC calls are left to gRPC's
/// <c>MaxReceiveMessageSize</c>, which answers RESOURCE_EXHAUSTED where a transport limit would break the call.
/// </summary>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next)
{
    public const long DefaultMaxRequestBodySize = 1024 * 1024;

    private const long KestrelDefaultMaxRequestBodySize = 30_000_000;

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false, MaxRequestBodySize: KestrelDefaultMaxRequestBodySize } limit
            && context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) != true)
        {
            limit.MaxRequestBodySize = DefaultMaxRequestBodySize;
        }
        return next(context);
    }
}

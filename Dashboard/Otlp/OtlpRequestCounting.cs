using Aspire.Dashboard.Otlp.Ingest;

namespace Aspire.Dashboard.Otlp;

// Counts every OTLP request that was refused, whatever refused it: authorization (401),
// the HTTP handler (400/413/415) or gRPC itself (a non-zero grpc-status, e.g. a message that does not parse).
internal sealed class OtlpRequestCounting(RequestDelegate next, OtlpIngestMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);

        var isGrpc = context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;
        if (isGrpc)
        {
            var status = context.Response.Headers["grpc-status"].ToString();
            if (status.Length == 0)
            {
                status = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseTrailersFeature>()?.Trailers["grpc-status"].ToString() ?? "";
            }

            if (context.Response.StatusCode != StatusCodes.Status200OK)
            {
                metrics.RequestFailed("grpc", context.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            else if (status.Length > 0 && status != "0")
            {
                metrics.RequestFailed("grpc", int.TryParse(status, out var code) ? ((global::Grpc.Core.StatusCode)code).ToString() : status);
            }
        }
        else if (context.Request.Path.StartsWithSegments("/v1") && context.Response.StatusCode >= 400)
        {
            metrics.RequestFailed("http", context.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}

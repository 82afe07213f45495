using Microsoft.AspNetCore.Http.Features;

namespace Aspire.Dashboard.Authentication;

// Runs after routing: an endpoint reached through the wrong listener is answered as not found.
internal sealed class ConnectionTypeMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<IConnectionTypeFeature>() is { } connection)
        {
            if ((connection.Types & ConnectionTypes.Frontend) == 0
                && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            {
                // OTLP handlers enforce Dashboard:Otlp:MaxRequestBodySize themselves with OTLP-shaped answers
                // (gRPC RESOURCE_EXHAUSTED, HTTP 413 with a Status body); Kestrel's general cap is for the frontend.
                bodySize.MaxRequestBodySize = null;
            }

            var allowed = context.GetEndpoint()?.Metadata.GetMetadata<ConnectionTypeMetadata>()?.Types ?? ConnectionTypes.Frontend;
            if ((connection.Types & allowed) == 0)
            {
                context.SetEndpoint(null);
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
        }

        return next(context);
    }
}

namespace Aspire.Dashboard.Authentication;

// Runs after routing: an endpoint reached through the wrong listener is answered as not found.
internal sealed class ConnectionTypeMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<IConnectionTypeFeature>() is { } connection)
        {
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

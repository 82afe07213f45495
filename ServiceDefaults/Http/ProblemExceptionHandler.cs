using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Turns any exception that escapes an endpoint into a problem. Client errors (<see cref="BadHttpRequestException"/>:
/// malformed JSON, body too large) keep their status; anything else is a 500, logged once at Error and recorded on the span.
/// </summary>
internal sealed partial class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is BadHttpRequestException badRequest)
        {
            await ProblemResponses.WriteAsync(httpContext, badRequest.StatusCode, badRequest.Message, exception);
            return true;
        }

        LogUnhandled(logger, exception, httpContext.Request.Method, RouteName(httpContext));
        if (Activity.Current is { } activity)
        {
            activity.AddException(exception);
            activity.SetStatus(ActivityStatusCode.Error);
        }
        await ProblemResponses.WriteAsync(httpContext, StatusCodes.Status500InternalServerError, exception.Message, exception);
        return true;
    }

    private static string RouteName(HttpContext context) =>
        (context.GetEndpoint() as Microsoft.AspNetCore.Routing.RouteEndpoint)?.RoutePattern.RawText ?? "(unmatched)";

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unhandled exception in {method} {route}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string route);
}

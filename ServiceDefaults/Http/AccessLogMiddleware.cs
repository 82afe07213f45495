using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// One line per request: method, route template (never the raw path, which can hold ids or personal data), status,
/// duration and client address. Probe and scrape endpoints log at Debug so they do not drown the rest.
/// </summary>
internal sealed partial class AccessLogMiddleware(RequestDelegate next, ILoggerFactory loggerFactory, TimeProvider timeProvider)
{
    public const string Category = "AccessLog";

    private readonly ILogger _logger = loggerFactory.CreateLogger(Category);

    public async Task InvokeAsync(HttpContext context)
    {
        var started = timeProvider.GetTimestamp();
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            await next(context);
            status = context.Response.StatusCode;
        }
        finally
        {
            var level = IsProbe(context.Request.Path) ? LogLevel.Debug : LogLevel.Information;
            if (_logger.IsEnabled(level))
            {
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(unmatched)";
                var elapsed = timeProvider.GetElapsedTime(started).TotalMilliseconds;
                LogRequest(_logger, level, context.Request.Method, route, status, Math.Round(elapsed, 3),
                    context.Connection.RemoteIpAddress?.ToString() ?? "-");
            }
        }
    }

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/alive") || path.StartsWithSegments("/metrics");

    [LoggerMessage(EventId = 1, Message = "{method} {route} {status} {duration_ms} ms {client_ip}")]
    private static partial void LogRequest(ILogger logger, LogLevel level, string method, string route, int status, double duration_ms, string client_ip);
}

using System.Collections;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>Establishes the request id before anything else runs, so every log line, error and span of the request carries it.</summary>
internal sealed class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var presented = context.Request.Headers[RequestId.HeaderName];
        var requestId = presented.Count == 1 && RequestId.IsValid(presented[0]) ? presented[0]! : RequestId.Generate();

        context.TraceIdentifier = requestId;
        context.Response.OnStarting(static state =>
        {
            var ctx = (HttpContext)state;
            ctx.Response.Headers[RequestId.HeaderName] = ctx.TraceIdentifier;
            return Task.CompletedTask;
        }, context);
        Activity.Current?.SetTag(TelemetryTags.RequestId, requestId);

        RequestId.Set(requestId);
        using (logger.BeginScope(new RequestIdScope(requestId)))
        {
            await next(context);
        }
    }

    /// <summary>One scope entry, <c>request_id</c>, without the allocation of a dictionary per request.</summary>
    private sealed class RequestIdScope(string requestId) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => 1;

        public KeyValuePair<string, object?> this[int index] =>
            index == 0 ? new(TelemetryTags.RequestId, requestId) : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            yield return this[0];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"{TelemetryTags.RequestId}:{requestId}";
    }
}

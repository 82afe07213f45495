using System.Globalization;
using Microsoft.Extensions.Options;

namespace Api.RateLimiting;

/// <summary>Applies the per-key token bucket to an endpoint group; refusals are 429 ProblemDetails with <c>Retry-After</c>.</summary>
public sealed class RateLimitFilter(RedisTokenBucket bucket, IOptions<RateLimitOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!options.Value.Enabled)
        {
            return await next(context);
        }
        var http = context.HttpContext;
        var (allowed, retryAfter) = await bucket.TryTakeAsync(Partition(http), http.RequestAborted);
        if (allowed)
        {
            return await next(context);
        }
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            detail: $"Rate limit of {options.Value.PermitsPerSecond}/s (burst {options.Value.Burst}) exceeded for this API key; retry after {seconds} s.",
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests");
    }

    /// <summary>The key's id (a prefix of its hash, from ServiceDefaults), so bucket names in Redis never reveal a key or its owner.</summary>
    private static string Partition(HttpContext context) =>
        context.User.FindFirst(ApiKeyDefaults.KeyIdClaimType)?.Value ?? "anonymous";
}

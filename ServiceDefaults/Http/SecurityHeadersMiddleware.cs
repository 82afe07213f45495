using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Microsoft.Extensions.Hosting;

/// <summary>Adds the hardening headers just before the response starts, so error responses written late get them too.</summary>
internal sealed class SecurityHeadersMiddleware
{
    private readonly RequestDelegate _next;
    private readonly string _contentSecurityPolicy;
    // Bound once: the callback reads the policy from this instance, so a request allocates no state for it.
    private readonly Func<object, Task> _addHeaders;

    public SecurityHeadersMiddleware(RequestDelegate next, IOptions<SecurityHeadersOptions> options)
    {
        _next = next;
        _contentSecurityPolicy = options.Value.ContentSecurityPolicy;
        _addHeaders = AddHeaders;
    }

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(_addHeaders, context.Response);
        return _next(context);
    }

    private Task AddHeaders(object state)
    {
        var response = (HttpResponse)state;
        var headers = response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        if (_contentSecurityPolicy.Length > 0 && headers.ContentSecurityPolicy.Count == 0
            && response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) != true)
        {
            headers.ContentSecurityPolicy = _contentSecurityPolicy;
        }
        headers.Remove(HeaderNames.Server);
        return Task.CompletedTask;
    }
}

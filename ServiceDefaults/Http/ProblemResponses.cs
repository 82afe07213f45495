using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>Writes an RFC 9457 problem through <see cref="IProblemDetailsService"/>, so it gets the same fields as every other error.</summary>
public static class ProblemResponses
{
    public static async Task WriteAsync(HttpContext context, int statusCode, string? detail = null, Exception? exception = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = statusCode;
        var problems = context.RequestServices.GetService<IProblemDetailsService>();
        if (problems is not null)
        {
            await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails { Status = statusCode, Detail = detail },
                Exception = exception,
            });
        }
    }
}

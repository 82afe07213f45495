using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

internal static class ProblemDetailsDefaults
{
    public static IServiceCollection AddServiceProblemDetails(this IServiceCollection services, bool isDevelopment)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var http = context.HttpContext;

            // Validation failures are 422 (the body parsed but its content is wrong); 400 stays for malformed requests.
            if (problem is HttpValidationProblemDetails && problem.Status is null or StatusCodes.Status400BadRequest)
            {
                problem.Status = StatusCodes.Status422UnprocessableEntity;
                problem.Title = "One or more validation errors occurred.";
                problem.Type = "https://tools.ietf.org/html/rfc9110#section-15.5.21";
                http.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            }

            // ASP.NET Core has no defaults for some statuses (429): fill them so every problem has the same fields.
            problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status ?? http.Response.StatusCode);
            problem.Type ??= problem.Status == StatusCodes.Status429TooManyRequests
                ? "https://tools.ietf.org/html/rfc6585#section-4"
                : "about:blank";
            problem.Instance ??= http.Request.Path;
            problem.Extensions["requestId"] = http.GetRequestId();
            if (Activity.Current is { } activity)
            {
                problem.Extensions["traceId"] = activity.TraceId.ToHexString();
            }

            if (!isDevelopment)
            {
                // Exception text can carry secrets or internals: outside Development the client gets the status only.
                problem.Extensions.Remove("exception");
                if (context.Exception is not null and not BadHttpRequestException)
                {
                    problem.Detail = null;
                }
            }
        });

        // Malformed bodies become a 400 problem with the framework's (payload-free) explanation rather than an empty 400.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Diagnostics.IDeveloperPageExceptionFilter, DeveloperExceptionSpanFilter>();
        return services;
    }
}

using Api.Models;
using Microsoft.AspNetCore.Http.HttpResults;
using Scalar.AspNetCore;

namespace Api.Apis;

/// <summary><c>GET /</c> and the API documentation (OpenAPI everywhere, Scalar's reference in Development).</summary>
public static class RootApi
{
    public static IEndpointRouteBuilder MapRootApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", GetInfo).WithTags("Info").WithSummary("Service name, version and links").AllowAnonymous();
        return app;
    }

    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference().AllowAnonymous();
        }
        return app;
    }

    public static Ok<ApiInfo> GetInfo(IHostEnvironment environment)
    {
        var links = new Dictionary<string, string>
        {
            ["jobs"] = "/api/v1/jobs",
            ["openapi"] = "/openapi/v1.json",
            ["health"] = "/health/ready",
            ["metrics"] = "/metrics",
        };
        if (environment.IsDevelopment())
        {
            links["docs"] = "/scalar";
        }
        return TypedResults.Ok(new ApiInfo("Jobs API", typeof(RootApi).Assembly.GetName().Version?.ToString(3), links));
    }
}

using System.Text.Json;
using Api.Infrastructure;
using Api.Models;
using Api.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Api.Apis;

/// <summary>Tool mode: run a tool synchronously in the request, no job involved.</summary>
public static class ToolsApi
{
    private const long MaxBody = 256 * 1024;

    public static RouteGroupBuilder MapToolsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/tools").WithTags("Tools").AddEndpointFilter<RateLimitFilter>();
        api.MapPost("/echo", Echo).RequireScope(Scopes.Write)
            .Accepts<JsonElement>("application/json").WithSummary("Echo the JSON body back");
        return api;
    }

    public static async Task<Results<Ok<ToolResponse>, ProblemHttpResult>> Echo(HttpContext context, CancellationToken cancellationToken)
    {
        var (input, _, problem) = await JsonBody.ReadAsync<JsonDocument>(context.Request, MaxBody, hash: false, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        using (input)
        {
            return TypedResults.Ok(new ToolResponse("echo", input!.RootElement.Clone()));
        }
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests.Infrastructure;

internal sealed record Item(string Name, int Quantity);

/// <summary>The endpoints a typical service has, each reaching one error path of the defaults.</summary>
internal static class TestEndpoints
{
    public const string ExceptionMessage = "connection to db failed: Password=hunter2-secret";

    public static void Map(WebApplication app)
    {
        app.MapGet("/items/{id:int}", (int id) => TypedResults.Ok(new Item($"item-{id}", id)));
        app.MapPost("/items", (Item item) => TypedResults.Created($"/items/{item.Quantity}", item));
        app.MapPost("/uploads", (Item item) => TypedResults.Created($"/uploads/{item.Quantity}", item.Quantity))
            .WithMetadata(new RequestSizeLimitAttribute(4 * 1024 * 1024));
        app.MapPost("/validate", (Item item) => TypedResults.ValidationProblem(new Dictionary<string, string[]>
        {
            ["quantity"] = ["Quantity must be positive."],
        }));
        app.MapGet("/boom", string () => throw new InvalidOperationException(ExceptionMessage));
        app.MapGet("/unavailable", () => Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/limited", () => Results.StatusCode(StatusCodes.Status429TooManyRequests));
        app.MapGet("/html", () => Results.Content("<p>hi</p>", "text/html"));
        app.MapGet("/secure/any", () => TypedResults.Ok("ok")).RequireScope();
        app.MapGet("/secure/jobs-write", () => TypedResults.Ok("ok")).RequireScope("jobs:write");
        var group = app.MapGroup("/secure/group").RequireScope("jobs:read");
        group.MapGet("/", () => TypedResults.Ok("ok"));
        app.MapGet("/secure/default-policy", () => TypedResults.Ok("ok")).RequireAuthorization();
        app.MapGet("/whoami", (HttpContext context) => TypedResults.Ok(new
        {
            requestId = context.GetRequestId(),
            current = RequestId.Current,
            remoteIp = context.Connection.RemoteIpAddress?.ToString(),
            scheme = context.Request.Scheme,
            authenticated = context.User.Identity?.IsAuthenticated == true,
        }));
    }
}

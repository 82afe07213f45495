using Microsoft.AspNetCore.Server.Kestrel.Core;

// Usage: Bench.Overhead bare|defaults [--urls=...]   the measured service, without or with ServiceDefaults
//        Bench.Overhead sink --urls=http://127.0.0.1:PORT   an OTLP/gRPC receiver that answers OK and counts exports
var mode = args.Length > 0 ? args[0] : "bare";
var builder = WebApplication.CreateBuilder(args[1..]);

if (mode == "sink")
{
    builder.Logging.ClearProviders();
    builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2));
    var sink = builder.Build();
    long exports = 0;
    sink.MapGet("/count", () => Interlocked.Read(ref exports));
    sink.MapFallback(async context =>
    {
        await context.Request.Body.CopyToAsync(Stream.Null);
        Interlocked.Increment(ref exports);
        context.Response.ContentType = "application/grpc";
        await context.Response.Body.WriteAsync(new byte[5]);
        context.Response.AppendTrailer("grpc-status", "0");
    });
    await sink.RunAsync();
    return;
}

if (mode == "defaults")
{
    builder.AddServiceDefaults();
}

var app = builder.Build();
if (mode == "defaults")
{
    app.MapDefaultEndpoints();
}

// The Api's `GET /` handler, verbatim in shape.
app.MapGet("/", () => TypedResults.Ok(new { name = "Jobs API", version = typeof(Program).Assembly.GetName().Version?.ToString() }));
await app.RunAsync();

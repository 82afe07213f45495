using System.Globalization;
using System.Runtime;
using Microsoft.AspNetCore.Server.Kestrel.Core;

// Usage: Bench.Overhead bare|defaults [--urls=...]   the measured service, without or with ServiceDefaults
//        (GET / is measured; GET /bench/stats answers bytes allocated, methods compiled and JIT milliseconds so far; with BENCH_ALLOCATION_PROFILE=1,
//        GET /bench/allocation-profile answers the sampled allocations by type since the previous call)
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
// Read by bench/overhead.sh before and after the measured window: bytes allocated (steady per request under load), and
// the JIT's work so far (methods compiled, compilation time), which tells when tiering has settled and what to subtract.
app.MapGet("/bench/stats", () => string.Create(CultureInfo.InvariantCulture,
    $"{GC.GetTotalAllocatedBytes(precise: true)} {JitInfo.GetCompiledMethodCount()} {JitInfo.GetCompilationTime().TotalMilliseconds:F0}"));
if (Environment.GetEnvironmentVariable("BENCH_ALLOCATION_PROFILE") == "1")
{
    // Which types those bytes are (sampled); each call reports since the previous one.
    var sampler = new AllocationSampler();
    app.MapGet("/bench/allocation-profile", () => sampler.TakeReport(top: 30));
}
await app.RunAsync();

using System.Globalization;
using System.Net;
using System.Runtime;
using System.Text.Json;
using Jobs.Model;
using Jobs.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Npgsql;

// Usage: Bench.Overhead bare|defaults [--urls=...] [--ConnectionStrings:jobsdb=...]   the measured service, without or with ServiceDefaults
//        (GET / and, with a jobsdb connection string, GET /api/v1/jobs/{id} are measured; GET /bench/stats answers bytes
//        allocated, methods compiled and JIT milliseconds so far; with BENCH_ALLOCATION_PROFILE=1, GET /bench/allocation-profile
//        answers the sampled allocations by type since the previous call)
//        Bench.Overhead seed --ConnectionStrings:jobsdb=...   applies the jobs migrations, inserts one job, prints its id
//        Bench.Overhead sink --GrpcPort=PORT --HttpPort=PORT   an OTLP receiver (gRPC and HTTP/protobuf) that answers OK
//        and counts exports
var mode = args.Length > 0 ? args[0] : "bare";
var builder = WebApplication.CreateBuilder(args[1..]);

if (mode == "sink")
{
    builder.Logging.ClearProviders();
    // OTLP/gRPC (HTTP/2 without TLS) on one port, OTLP/HTTP (HTTP/1.1) on the other.
    builder.WebHost.ConfigureKestrel(kestrel =>
    {
        kestrel.Listen(IPAddress.Loopback, builder.Configuration.GetValue<int>("GrpcPort"), listen => listen.Protocols = HttpProtocols.Http2);
        kestrel.Listen(IPAddress.Loopback, builder.Configuration.GetValue<int>("HttpPort"), listen => listen.Protocols = HttpProtocols.Http1);
    });
    var sink = builder.Build();
    long exports = 0;
    sink.MapGet("/count", () => Interlocked.Read(ref exports));
    sink.MapFallback(async context =>
    {
        await context.Request.Body.CopyToAsync(Stream.Null);
        Interlocked.Increment(ref exports);
        if (context.Request.ContentType == "application/grpc")
        {
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.WriteAsync(new byte[5]);
            context.Response.AppendTrailer("grpc-status", "0");
        }
        else
        {
            context.Response.ContentType = "application/x-protobuf";
        }
    });
    await sink.RunAsync();
    return;
}

var connectionString = builder.Configuration.GetConnectionString("jobsdb");
if (mode == "seed")
{
    await using var dataSource = NpgsqlDataSource.Create(connectionString ?? throw new InvalidOperationException("ConnectionStrings:jobsdb is required."));
    await new Migrator(dataSource, Microsoft.Extensions.Logging.Abstractions.NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None);
    using var input = JsonDocument.Parse("""{"text":"bench"}""");
    var job = new NewJob(Guid.CreateVersion7(), "echo", "default", 0, 3, null, input.RootElement.Clone(), "bench", null, null, null, null, "bench-seed");
    var stored = await new JobStore(dataSource).InsertGroupAsync([job], null, CancellationToken.None);
    Console.WriteLine(stored[0].Job.Id);
    return;
}

var defaults = mode == "defaults";
if (defaults)
{
    builder.AddServiceDefaults();
}
if (connectionString is not null)
{
    // As the Api: Aspire's client integration (traced, measured, health-checked) with ServiceDefaults; a plain data
    // source, same settings, without.
    if (defaults)
    {
        builder.AddNpgsqlDataSource("jobsdb", configureDataSourceBuilder: JobsDataSource.Configure);
    }
    else
    {
        var dataSourceBuilder = new NpgsqlDataSourceBuilder(connectionString);
        JobsDataSource.Configure(dataSourceBuilder);
        builder.Services.AddSingleton(dataSourceBuilder.Build());
    }
    builder.Services.AddSingleton<JobStore>();
}

var app = builder.Build();
if (defaults)
{
    app.MapDefaultEndpoints();
}

// The Api's `GET /` handler, verbatim in shape.
app.MapGet("/", () => TypedResults.Ok(new { name = "Jobs API", version = typeof(Program).Assembly.GetName().Version?.ToString() }));
if (connectionString is not null)
{
    // The Api's `GET /api/v1/jobs/{id}`: the same JobStore read of one row by id, behind an API key with the jobs:read
    // scope as in the Api (its per-key Redis rate limit is the Api's own feature, not ServiceDefaults', and is left out).
    var jobs = app.MapGet("/api/v1/jobs/{id}", GetJob);
    if (defaults)
    {
        jobs.RequireScope("jobs:read");
    }
}
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

static async Task<Results<Ok<JobRecord>, ProblemHttpResult>> GetJob(string id, JobStore store, CancellationToken cancellationToken) =>
    Guid.TryParse(id, out var jobId) && await store.GetAsync(jobId, cancellationToken) is { } job
        ? TypedResults.Ok(job)
        : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No job with id '{id}'.");

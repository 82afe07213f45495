using System.Globalization;
using Google.Protobuf;
using Grpc.Net.Client;
using OtlpIngest;

// bench/otlp-ingest: spans/s and log records/s the dashboard ingests over OTLP/gRPC in batches of 512,
// past its default limits; its memory once every store is full; how fast /traces renders the full list.
// Usage: otlp-ingest <path to Aspire.Dashboard.dll> [spans=512000] [logs=512000] [concurrency=4]
//        otlp-ingest profile [spans=512000] [logs=512000]   (the ingest path in process: CPU and allocations per item)
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: otlp-ingest <Aspire.Dashboard.dll> [spans] [logs] [concurrency] | otlp-ingest profile [spans] [logs]");
    return 2;
}

if (args[0] == "profile")
{
    IngestProfile.Run(
        args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 512_000,
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 512_000);
    return 0;
}

const int BatchSize = 512;
var totalSpans = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 512_000;
var totalLogs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 512_000;
var concurrency = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 4;

await using var dashboard = await DashboardUnderTest.StartAsync(Path.GetFullPath(args[0]));
using var channel = GrpcChannel.ForAddress(dashboard.GrpcUrl);
var client = new RawOtlpClient(channel, DashboardUnderTest.OtlpKey);
var generator = new TelemetryGenerator();
var idleBytes = dashboard.ResidentBytes();

// Warm up the connection and the server's code paths (tiered JIT settles after a few dozen calls), then measure.
const int WarmUpBatches = 40;
for (var i = 0; i < WarmUpBatches; i++)
{
    await client.ExportAsync("trace", generator.Traces(BatchSize).ToByteArray());
    await client.ExportAsync("logs", generator.Logs(BatchSize).ToByteArray());
}

var spanBatches = Enumerable.Range(0, totalSpans / BatchSize).Select(_ => generator.Traces(BatchSize).ToByteArray()).ToList();
var cpu = dashboard.CpuTime();
var spanTime = await client.ExportAllAsync("trace", spanBatches, concurrency);
var spanCpu = dashboard.CpuTime() - cpu;
spanBatches.Clear();

var logBatches = Enumerable.Range(0, totalLogs / BatchSize).Select(_ => generator.Logs(BatchSize).ToByteArray()).ToList();
cpu = dashboard.CpuTime();
var logTime = await client.ExportAllAsync("logs", logBatches, concurrency);
var logCpu = dashboard.CpuTime() - cpu;
logBatches.Clear();

// Metrics to the default 50,000 points for each of 10 instruments (2 series each, one point a second).
var start = DateTime.UtcNow.AddHours(-7);
var metricBatches = Enumerable.Range(0, 50)
    .Select(b => TelemetryGenerator.Metrics(10, [.. Enumerable.Range(b * 500, 500).Select(s => start.AddSeconds(s))]).ToByteArray())
    .ToList();
var metricTime = await client.ExportAllAsync("metrics", metricBatches, concurrency);
metricBatches.Clear();

await Task.Delay(TimeSpan.FromSeconds(3));
var fullBytes = dashboard.ResidentBytes();
var pageTimes = await TracesPageTimer.MeasureAsync(dashboard.FrontendUrl, DashboardUnderTest.Token, 10_000, runs: 5);
var median = pageTimes.Order().ElementAt(pageTimes.Count / 2);

Console.WriteLine($"| spans ingested over OTLP/gRPC | {totalSpans:N0} in {spanTime.TotalSeconds:0.00} s, dashboard CPU {spanCpu.TotalSeconds:0.00} s | **{totalSpans / spanTime.TotalSeconds:N0} spans/s** ({totalSpans / spanCpu.TotalSeconds:N0} per CPU-second) |");
Console.WriteLine($"| log records ingested over OTLP/gRPC | {totalLogs:N0} in {logTime.TotalSeconds:0.00} s, dashboard CPU {logCpu.TotalSeconds:0.00} s | **{totalLogs / logTime.TotalSeconds:N0} records/s** ({totalLogs / logCpu.TotalSeconds:N0} per CPU-second) |");
Console.WriteLine($"| machine load average (1 min) at the end | | {File.ReadAllText("/proc/loadavg").Split(' ')[0]} on {Environment.ProcessorCount} cores |");
Console.WriteLine($"| metric points ingested (10 instruments to 50,000 points) | 1,000,000 in {metricTime.TotalSeconds:0.00} s | {1_000_000 / metricTime.TotalSeconds:N0} points/s |");
Console.WriteLine($"| dashboard memory (RSS), idle | | {idleBytes / 1048576.0:0} MiB |");
Console.WriteLine($"| dashboard memory (RSS), every store at its default limit | 10,000 traces (80,000 spans), 10,000 logs, 500,000 points | **{fullBytes / 1048576.0:0} MiB** |");
Console.WriteLine($"| /traces renders 10,000 traces (median of {pageTimes.Count}) | {string.Join(", ", pageTimes.Select(t => $"{t.TotalMilliseconds:0}"))} ms | **{median.TotalMilliseconds:0} ms** |");
return 0;

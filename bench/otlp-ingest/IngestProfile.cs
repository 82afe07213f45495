using System.Diagnostics;
using System.Diagnostics.Metrics;
using Aspire.Dashboard.Configuration;
using Aspire.Dashboard.Otlp.Ingest;
using Aspire.Dashboard.Otlp.Storage;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace OtlpIngest;

// The ingest path in this process, without sockets: CPU time and bytes allocated per span (and per log
// record) for protobuf parsing alone and for parsing + conversion + store insert, with the stores held at
// their default limits. Both figures barely move with machine load, unlike throughput.
internal static class IngestProfile
{
    public static void Run(int totalSpans, int totalLogs)
    {
        const int BatchSize = 512;
        var generator = new TelemetryGenerator();
        var spanBatches = Enumerable.Range(0, totalSpans / BatchSize).Select(_ => generator.Traces(BatchSize).ToByteArray()).ToList();
        var logBatches = Enumerable.Range(0, totalLogs / BatchSize).Select(_ => generator.Logs(BatchSize).ToByteArray()).ToList();
        var ingestor = CreateIngestor();

        // Warm-up: JIT and the stores filled to their limits, so the measured batches run with eviction as a full dashboard does.
        foreach (var batch in spanBatches.Take(200))
        {
            ingestor.Ingest(ExportTraceServiceRequest.Parser.ParseFrom(batch));
        }

        Report("spans: protobuf parse", totalSpans, () => spanBatches.ForEach(b => ExportTraceServiceRequest.Parser.ParseFrom(b)));
        Report("spans: parse + ingest", totalSpans, () => spanBatches.ForEach(b => ingestor.Ingest(ExportTraceServiceRequest.Parser.ParseFrom(b))));
        Report("log records: protobuf parse", totalLogs, () => logBatches.ForEach(b => ExportLogsServiceRequest.Parser.ParseFrom(b)));
        Report("log records: parse + ingest", totalLogs, () => logBatches.ForEach(b => ingestor.Ingest(ExportLogsServiceRequest.Parser.ParseFrom(b))));
    }

    private static TelemetryIngestor CreateIngestor()
    {
        var options = Options.Create(new DashboardOptions());
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        return new TelemetryIngestor(new ResourceRegistry(options), new LogStore(options), new TraceStore(options), new MetricStore(options), new OtlpIngestMetrics(meters), options);
    }

    private static void Report(string name, int items, Action run)
    {
        if (items == 0)
        {
            return;
        }

        GC.Collect();
        var gcs = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        run();
        wall.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        Console.WriteLine(
            $"| {name} | {items:N0} items, wall {wall.Elapsed.TotalSeconds:0.00} s, GCs {GC.CollectionCount(0) - gcs.Item1}/{GC.CollectionCount(1) - gcs.Item2}/{GC.CollectionCount(2) - gcs.Item3} (gen0/1/2) " +
            $"| **{cpu.TotalMicroseconds / items:0.00} µs CPU** and {allocated / (double)items:0} B allocated per item ({items / cpu.TotalSeconds:N0} per CPU-second) |");
    }
}

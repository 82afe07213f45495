using Aspire.Dashboard.Configuration;
using Aspire.Dashboard.Otlp.Ingest;
using Aspire.Dashboard.Otlp.Storage;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace Dashboard.Tests.Infrastructure;

// Builds OTLP requests and a wired-up ingestor over fresh stores.
internal static class TestData
{
    public static readonly DateTime Epoch = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static ulong Nanos(DateTime time) => (ulong)(time - DateTime.UnixEpoch).Ticks * 100;

    public static KeyValue Attr(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    public static Resource Resource(string service, string instance = "") =>
        new() { Attributes = { Attr("service.name", service), Attr("service.instance.id", instance) } };

    public static string TraceId(int n) => n.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);

    public static string SpanId(int n) => n.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    public static Span Span(string traceId, string spanId, string? parent = null, string name = "op", int startMs = 0, int durationMs = 10) => new()
    {
        TraceId = ByteString.CopyFrom(Convert.FromHexString(traceId)),
        SpanId = ByteString.CopyFrom(Convert.FromHexString(spanId)),
        ParentSpanId = parent is null ? ByteString.Empty : ByteString.CopyFrom(Convert.FromHexString(parent)),
        Name = name,
        Kind = OpenTelemetry.Proto.Trace.V1.Span.Types.SpanKind.Server,
        StartTimeUnixNano = Nanos(Epoch.AddMilliseconds(startMs)),
        EndTimeUnixNano = Nanos(Epoch.AddMilliseconds(startMs + durationMs)),
    };

    public static ExportTraceServiceRequest Traces(Resource resource, params Span[] spans) => new()
    {
        ResourceSpans = { new ResourceSpans { Resource = resource, ScopeSpans = { new ScopeSpans { Scope = new InstrumentationScope { Name = "test" }, Spans = { spans } } } } },
    };

    public static LogRecord Log(string message, SeverityNumber severity = SeverityNumber.Info, int atMs = 0) => new()
    {
        TimeUnixNano = Nanos(Epoch.AddMilliseconds(atMs)),
        SeverityNumber = severity,
        Body = new AnyValue { StringValue = message },
    };

    public static ExportLogsServiceRequest Logs(Resource resource, params LogRecord[] records) => new()
    {
        ResourceLogs = { new ResourceLogs { Resource = resource, ScopeLogs = { new ScopeLogs { Scope = new InstrumentationScope { Name = "test" }, LogRecords = { records } } } } },
    };

    public static Telemetry CreateTelemetry(Action<TelemetryLimitOptions>? limits = null)
    {
        var dashboard = new DashboardOptions();
        limits?.Invoke(dashboard.TelemetryLimits);
        var options = Options.Create(dashboard);
        var meterFactory = new TestMeterFactory();
        var telemetry = new Telemetry(new ResourceRegistry(options), new LogStore(options), new TraceStore(options), new MetricStore(options), new OtlpIngestMetrics(meterFactory));
        telemetry.Ingestor = new TelemetryIngestor(telemetry.Resources, telemetry.Logs, telemetry.Traces, telemetry.Metrics, telemetry.Counters, options);
        return telemetry;
    }

    internal sealed record Telemetry(ResourceRegistry Resources, LogStore Logs, TraceStore Traces, MetricStore Metrics, OtlpIngestMetrics Counters)
    {
        public TelemetryIngestor Ingestor { get; set; } = null!;
    }

    private sealed class TestMeterFactory : System.Diagnostics.Metrics.IMeterFactory
    {
        public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options) => new(options);

        public void Dispose()
        {
        }
    }
}

using System.Buffers.Binary;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace OtlpIngest;

// Batches shaped like a small web service's telemetry: traces of eight spans with the attributes
// ASP.NET Core, HttpClient and Npgsql instrumentation set, and log records with a few attributes.
internal sealed class TelemetryGenerator
{
    public const int SpansPerTrace = 8;
    private static readonly Resource[] Resources = [Service("api", "api"), Service("worker", "worker-0"), Service("worker", "worker-1")];
    private long _nextId = 1;

    public ExportTraceServiceRequest Traces(int spanCount)
    {
        var now = (ulong)(DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "Microsoft.AspNetCore" } };
        for (var t = 0; t < spanCount / SpansPerTrace; t++)
        {
            var traceId = Id(16);
            var root = Id(8);
            for (var s = 0; s < SpansPerTrace; s++)
            {
                var start = now + ((ulong)s * 1_000_000);
                scope.Spans.Add(new Span
                {
                    TraceId = traceId,
                    SpanId = s == 0 ? root : Id(8),
                    ParentSpanId = s == 0 ? ByteString.Empty : root,
                    Name = s == 0 ? "POST /api/v1/jobs" : s % 3 == 0 ? "INSERT jobsdb" : "GET /internal/lookup",
                    Kind = s == 0 ? Span.Types.SpanKind.Server : Span.Types.SpanKind.Client,
                    StartTimeUnixNano = start,
                    EndTimeUnixNano = start + 3_000_000,
                    Attributes =
                    {
                        Attr("http.request.method", "POST"), Attr("url.path", "/api/v1/jobs"), Attr("http.route", "/api/v1/jobs"),
                        Attr("server.address", "localhost"), Attr("server.port", 5080), Attr("http.response.status_code", 202),
                        Attr("network.protocol.version", "1.1"), Attr("user_agent.original", "bench/1.0"),
                    },
                    Status = new Status { Code = Status.Types.StatusCode.Unset },
                });
            }
        }

        return new ExportTraceServiceRequest { ResourceSpans = { new ResourceSpans { Resource = Resources[(int)(_nextId % 3)], ScopeSpans = { scope } } } };
    }

    public ExportLogsServiceRequest Logs(int count)
    {
        var now = (ulong)(DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;
        var scope = new ScopeLogs { Scope = new InstrumentationScope { Name = "Api.Jobs" } };
        for (var i = 0; i < count; i++)
        {
            scope.LogRecords.Add(new LogRecord
            {
                TimeUnixNano = now,
                SeverityNumber = SeverityNumber.Info,
                SeverityText = "Information",
                Body = new AnyValue { StringValue = "Job {JobId} of type {JobType} accepted" },
                TraceId = Id(16),
                SpanId = Id(8),
                Attributes = { Attr("JobId", Guid.NewGuid().ToString()), Attr("JobType", "agent"), Attr("RequestId", "0HN7R" + _nextId), Attr("{OriginalFormat}", "Job {JobId} of type {JobType} accepted") },
            });
        }

        return new ExportLogsServiceRequest { ResourceLogs = { new ResourceLogs { Resource = Resources[(int)(_nextId % 3)], ScopeLogs = { scope } } } };
    }

    // Cumulative points at the given times for `instruments` counters, each with two attribute sets.
    public static ExportMetricsServiceRequest Metrics(int instruments, IReadOnlyList<DateTime> times)
    {
        var scope = new ScopeMetrics { Scope = new InstrumentationScope { Name = "Jobs" } };
        for (var i = 0; i < instruments; i++)
        {
            var sum = new Sum { IsMonotonic = true, AggregationTemporality = AggregationTemporality.Cumulative };
            foreach (var time in times)
            {
                var nanos = (ulong)(time - DateTime.UnixEpoch).Ticks * 100;
                sum.DataPoints.Add(new NumberDataPoint { StartTimeUnixNano = 1, TimeUnixNano = nanos, AsInt = (long)(nanos / 1_000_000_000), Attributes = { Attr("outcome", "succeeded") } });
                sum.DataPoints.Add(new NumberDataPoint { StartTimeUnixNano = 1, TimeUnixNano = nanos, AsInt = (long)(nanos / 10_000_000_000), Attributes = { Attr("outcome", "failed") } });
            }

            scope.Metrics.Add(new Metric { Name = $"jobs.metric.{i}", Unit = "{job}", Sum = sum });
        }

        return new ExportMetricsServiceRequest { ResourceMetrics = { new ResourceMetrics { Resource = Resources[1], ScopeMetrics = { scope } } } };
    }

    private ByteString Id(int length)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes, Interlocked.Increment(ref _nextId));
        BinaryPrimitives.WriteInt64BigEndian(bytes[8..], _nextId * 7919);
        return ByteString.CopyFrom(bytes[..length]);
    }

    private static Resource Service(string name, string instance) =>
        new() { Attributes = { Attr("service.name", name), Attr("service.instance.id", instance), Attr("telemetry.sdk.language", "dotnet"), Attr("telemetry.sdk.name", "opentelemetry") } };

    private static KeyValue Attr(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    private static KeyValue Attr(string key, long value) => new() { Key = key, Value = new AnyValue { IntValue = value } };
}

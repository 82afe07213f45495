using Aspire.Dashboard.Configuration;
using Aspire.Dashboard.Otlp.Model;
using Aspire.Dashboard.Otlp.Storage;
using Microsoft.Extensions.Options;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;
using ProtoResource = OpenTelemetry.Proto.Resource.V1.Resource;
using ProtoSpan = OpenTelemetry.Proto.Trace.V1.Span;

namespace Aspire.Dashboard.Otlp.Ingest;

// The one place OTLP requests from either protocol become stored telemetry.
public sealed class TelemetryIngestor(
    ResourceRegistry resources,
    LogStore logs,
    TraceStore traces,
    MetricStore metrics,
    OtlpIngestMetrics counters,
    IOptions<DashboardOptions> options)
{
    // Scales the OpenTelemetry data model allows; buckets per side an SDK keeps by default (160) with room to spare.
    private const int MinExponentialScale = -10;
    private const int MaxExponentialScale = 20;
    private const int MaxExponentialBuckets = 1024;
    private const int MaxQuantiles = 32;

    private readonly TelemetryLimitOptions _limits = options.Value.TelemetryLimits;

    public ExportLogsServiceResponse Ingest(ExportLogsServiceRequest request)
    {
        var entries = new List<LogEntry>();
        var refused = 0;
        foreach (var resourceLogs in request.ResourceLogs)
        {
            if (GetResource(resourceLogs.Resource) is not { } resource)
            {
                refused += resourceLogs.ScopeLogs.Sum(s => s.LogRecords.Count);
                continue;
            }

            foreach (var scope in resourceLogs.ScopeLogs)
            {
                foreach (var record in scope.LogRecords)
                {
                    entries.Add(ToLogEntry(resource, scope.Scope?.Name ?? "", record));
                }
            }
        }

        logs.Add(entries);
        counters.Accepted("logs", entries.Count);
        counters.Rejected("logs", refused);
        return refused == 0
            ? new ExportLogsServiceResponse()
            : new ExportLogsServiceResponse { PartialSuccess = new ExportLogsPartialSuccess { RejectedLogRecords = refused, ErrorMessage = TooManyResources } };
    }

    public ExportTraceServiceResponse Ingest(ExportTraceServiceRequest request)
    {
        var spans = new List<Span>();
        var ids = new IdStrings();
        var invalid = 0;
        foreach (var resourceSpans in request.ResourceSpans)
        {
            if (GetResource(resourceSpans.Resource) is not { } resource)
            {
                invalid += resourceSpans.ScopeSpans.Sum(s => s.Spans.Count);
                continue;
            }

            foreach (var scope in resourceSpans.ScopeSpans)
            {
                foreach (var span in scope.Spans)
                {
                    if (span.TraceId.Length != 16 || span.SpanId.Length != 8)
                    {
                        invalid++;
                        continue;
                    }

                    spans.Add(ToSpan(resource, scope.Scope?.Name ?? "", span, ids));
                }
            }
        }

        var rejected = invalid + traces.Add(spans);
        counters.Accepted("traces", spans.Count - (rejected - invalid));
        counters.Rejected("traces", rejected);
        return rejected == 0
            ? new ExportTraceServiceResponse()
            : new ExportTraceServiceResponse
            {
                PartialSuccess = new ExportTracePartialSuccess
                {
                    RejectedSpans = rejected,
                    ErrorMessage = "Spans need a 16-byte trace id and an 8-byte span id; a trace holds at most Dashboard:TelemetryLimits:MaxSpanCount spans. " + TooManyResources,
                },
            };
    }

    public ExportMetricsServiceResponse Ingest(ExportMetricsServiceRequest request)
    {
        var incoming = new List<IncomingMetric>();
        var refused = 0;
        foreach (var resourceMetrics in request.ResourceMetrics)
        {
            if (GetResource(resourceMetrics.Resource) is not { } resource)
            {
                refused += resourceMetrics.ScopeMetrics.SelectMany(s => s.Metrics).Sum(PointCount);
                continue;
            }

            foreach (var scope in resourceMetrics.ScopeMetrics)
            {
                foreach (var metric in scope.Metrics)
                {
                    var key = new InstrumentKey(resource, scope.Scope?.Name ?? "", metric.Name);
                    if (ToIncoming(key, metric) is { } converted)
                    {
                        incoming.Add(converted);
                    }
                }
            }
        }

        var rejected = metrics.Add(incoming);
        counters.Accepted("metrics", incoming.Sum(m => m.Points.Count) - rejected);
        rejected += refused;
        counters.Rejected("metrics", rejected);
        return rejected == 0
            ? new ExportMetricsServiceResponse()
            : new ExportMetricsServiceResponse
            {
                PartialSuccess = new ExportMetricsPartialSuccess
                {
                    RejectedDataPoints = rejected,
                    ErrorMessage = $"At most {_limits.MaxInstrumentCount} instruments (Dashboard:TelemetryLimits:MaxInstrumentCount) with {_limits.MaxMetricSeriesCount} attribute sets each (MaxMetricSeriesCount) are stored. " + TooManyResources,
                },
            };
    }

    private string TooManyResources => $"Telemetry from more than {_limits.MaxResourceCount} resources (Dashboard:TelemetryLimits:MaxResourceCount) is refused.";

    private TelemetryResource? GetResource(ProtoResource? resource)
    {
        var attributes = resource?.Attributes ?? [];
        var serviceName = "unknown_service";
        var instanceId = "";
        foreach (var attribute in attributes)
        {
            if (attribute.Key == "service.name")
            {
                serviceName = OtlpConverter.ToString(attribute.Value);
            }
            else if (attribute.Key == "service.instance.id")
            {
                instanceId = OtlpConverter.ToString(attribute.Value);
            }
        }

        return resources.GetOrAdd(serviceName, instanceId, () => OtlpConverter.ToAttributes(attributes, _limits));
    }

    private LogEntry ToLogEntry(TelemetryResource resource, string scopeName, LogRecord record)
    {
        var time = record.TimeUnixNano != 0 ? record.TimeUnixNano : record.ObservedTimeUnixNano;
        return new LogEntry
        {
            Id = logs.NextId(),
            Resource = resource,
            Timestamp = OtlpConverter.ToDateTime(time),
            Severity = OtlpConverter.ToSeverity((int)record.SeverityNumber),
            SeverityText = record.SeverityText,
            Message = OtlpConverter.Truncate(OtlpConverter.ToString(record.Body), _limits.MaxAttributeLength),
            Attributes = OtlpConverter.ToAttributes(record.Attributes, _limits),
            ScopeName = StringPool.Intern(scopeName),
            TraceId = record.TraceId.IsEmpty ? null : OtlpConverter.ToHex(record.TraceId),
            SpanId = record.SpanId.IsEmpty ? null : OtlpConverter.ToHex(record.SpanId),
            EventName = string.IsNullOrEmpty(record.EventName) ? null : record.EventName,
        };
    }

    private Span ToSpan(TelemetryResource resource, string scopeName, ProtoSpan span, IdStrings ids) => new()
    {
        Resource = resource,
        TraceId = ids.TraceId(span.TraceId),
        SpanId = ids.SpanId(span.SpanId),
        ParentSpanId = span.ParentSpanId.IsEmpty ? null : ids.SpanId(span.ParentSpanId),
        Name = StringPool.Intern(span.Name),
        Kind = (SpanKind)Math.Clamp((int)span.Kind, 0, (int)SpanKind.Consumer),
        StartTime = OtlpConverter.ToDateTime(span.StartTimeUnixNano),
        EndTime = OtlpConverter.ToDateTime(span.EndTimeUnixNano),
        Status = span.Status?.Code switch
        {
            OpenTelemetry.Proto.Trace.V1.Status.Types.StatusCode.Ok => SpanStatus.Ok,
            OpenTelemetry.Proto.Trace.V1.Status.Types.StatusCode.Error => SpanStatus.Error,
            _ => SpanStatus.Unset,
        },
        StatusMessage = string.IsNullOrEmpty(span.Status?.Message) ? null : span.Status.Message,
        ScopeName = StringPool.Intern(scopeName),
        Attributes = OtlpConverter.ToAttributes(span.Attributes, _limits),
        Events = span.Events.Count == 0 ? [] : [.. span.Events.Take(_limits.MaxSpanEventCount).Select(e =>
            new SpanEvent(e.Name, OtlpConverter.ToDateTime(e.TimeUnixNano), OtlpConverter.ToAttributes(e.Attributes, _limits)))],
        Links = span.Links.Count == 0 ? [] : [.. span.Links.Take(_limits.MaxSpanEventCount).Select(l =>
            new SpanLink(OtlpConverter.ToHex(l.TraceId), OtlpConverter.ToHex(l.SpanId), OtlpConverter.ToAttributes(l.Attributes, _limits)))],
    };

    private IncomingMetric? ToIncoming(InstrumentKey key, Metric metric)
    {
        switch (metric.DataCase)
        {
            case Metric.DataOneofCase.Gauge:
                return Numbers(key, metric, InstrumentKind.Gauge, isDelta: false, metric.Gauge.DataPoints);
            case Metric.DataOneofCase.Sum:
                var kind = metric.Sum.IsMonotonic ? InstrumentKind.Counter : InstrumentKind.UpDownCounter;
                return Numbers(key, metric, kind, IsDelta(metric.Sum.AggregationTemporality), metric.Sum.DataPoints);
            case Metric.DataOneofCase.Histogram:
                return Points(key, metric, InstrumentKind.Histogram, IsDelta(metric.Histogram.AggregationTemporality), metric.Histogram.DataPoints,
                    p => (p.Attributes, p.TimeUnixNano, p.StartTimeUnixNano),
                    (p, time, start, d) => new MetricPoint(time, start, d, p.HasSum ? p.Sum : 0, p.Count, [.. p.ExplicitBounds], [.. p.BucketCounts]));
            case Metric.DataOneofCase.ExponentialHistogram:
                return Points(key, metric, InstrumentKind.ExponentialHistogram, IsDelta(metric.ExponentialHistogram.AggregationTemporality), metric.ExponentialHistogram.DataPoints,
                    p => (p.Attributes, p.TimeUnixNano, p.StartTimeUnixNano),
                    (p, time, start, d) => new MetricPoint(time, start, d, p.HasSum ? p.Sum : 0, p.Count, Exponential: new ExponentialBuckets(
                        Math.Clamp(p.Scale, MinExponentialScale, MaxExponentialScale), p.ZeroCount,
                        p.Positive?.Offset ?? 0, [.. p.Positive?.BucketCounts.Take(MaxExponentialBuckets) ?? []],
                        p.Negative?.Offset ?? 0, [.. p.Negative?.BucketCounts.Take(MaxExponentialBuckets) ?? []])));
            case Metric.DataOneofCase.Summary:
                // Summaries carry no temporality: their quantiles are charted as reported.
                return Points(key, metric, InstrumentKind.Summary, isDelta: false, metric.Summary.DataPoints,
                    p => (p.Attributes, p.TimeUnixNano, p.StartTimeUnixNano),
                    (p, time, start, d) => new MetricPoint(time, start, d, p.Sum, p.Count,
                        Quantiles: [.. p.QuantileValues.Take(MaxQuantiles).Select(q => new SummaryQuantile(q.Quantile, q.Value))]));
            default:
                return null;
        }
    }

    // Every kind of point has attributes and times; only its value differs.
    private IncomingMetric Points<TPoint>(
        InstrumentKey key,
        Metric metric,
        InstrumentKind kind,
        bool isDelta,
        IEnumerable<TPoint> dataPoints,
        Func<TPoint, (IReadOnlyList<KeyValue> Attributes, ulong Time, ulong Start)> header,
        Func<TPoint, DateTime, DateTime, MetricDimension, MetricPoint> point)
    {
        var points = dataPoints
            .Select(p =>
            {
                var (attributes, time, start) = header(p);
                return (SortedAttributes(attributes), (Func<MetricDimension, MetricPoint>)(d =>
                    point(p, OtlpConverter.ToDateTime(time), OtlpConverter.ToDateTime(start), d)));
            })
            .ToList();
        return new IncomingMetric(key, metric.Description, metric.Unit, kind, isDelta, points);
    }

    private IncomingMetric Numbers(InstrumentKey key, Metric metric, InstrumentKind kind, bool isDelta, IEnumerable<NumberDataPoint> dataPoints) =>
        Points(key, metric, kind, isDelta, dataPoints, p => (p.Attributes, p.TimeUnixNano, p.StartTimeUnixNano),
            (p, time, start, d) => new MetricPoint(time, start, d, p.ValueCase == NumberDataPoint.ValueOneofCase.AsInt ? p.AsInt : p.AsDouble));

    private static int PointCount(Metric metric) => metric.DataCase switch
    {
        Metric.DataOneofCase.Gauge => metric.Gauge.DataPoints.Count,
        Metric.DataOneofCase.Sum => metric.Sum.DataPoints.Count,
        Metric.DataOneofCase.Histogram => metric.Histogram.DataPoints.Count,
        Metric.DataOneofCase.ExponentialHistogram => metric.ExponentialHistogram.DataPoints.Count,
        Metric.DataOneofCase.Summary => metric.Summary.DataPoints.Count,
        _ => 0,
    };

    private static bool IsDelta(AggregationTemporality temporality) => temporality == AggregationTemporality.Delta;

    // Sorted so the same attribute set in any order is one series.
    private KeyValuePair<string, string>[] SortedAttributes(IReadOnlyList<KeyValue> attributes)
    {
        var converted = OtlpConverter.ToAttributes(attributes, _limits);
        Array.Sort(converted, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return converted;
    }
}

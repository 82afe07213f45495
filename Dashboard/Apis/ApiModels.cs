using Aspire.Dashboard.Otlp.Model;
using Aspire.Dashboard.Otlp.Storage;
using Aspire.Dashboard.ResourceService;

namespace Aspire.Dashboard.Apis;

// The JSON shapes of /api/v1: stable, flat, attributes as objects.
public sealed record PagedResult<T>(int Total, IReadOnlyList<T> Items);

public sealed record ResourceDto(
    string Name,
    string DisplayName,
    string Type,
    string State,
    string? HealthStatus,
    DateTime? StartedAt,
    int? ExitCode,
    int ReplicaCount,
    IReadOnlyList<string> Urls,
    string Source)
{
    public static ResourceDto From(ResourceViewModel r) =>
        new(r.Name, r.DisplayName, r.Type, r.State, r.HealthStatus, r.StartedAt, r.ExitCode, r.ReplicaCount, [.. r.Urls.Select(u => u.Url)], "resource-service");

    public static ResourceDto From(TelemetryResource r) =>
        new(r.DisplayName, r.ServiceName, "Telemetry", "Reporting", null, null, null, 1, [], "telemetry");
}

public sealed record LogDto(
    long Id,
    DateTime Timestamp,
    string Resource,
    string Severity,
    string Message,
    string? TraceId,
    string? SpanId,
    string Scope,
    IReadOnlyDictionary<string, string> Attributes)
{
    public static LogDto From(LogEntry l) =>
        new(l.Id, l.Timestamp, l.Resource.DisplayName, l.Severity.ToString(), l.Message, l.TraceId, l.SpanId, l.ScopeName, ApiModels.ToObject(l.Attributes));
}

public sealed record TraceSummaryDto(
    string TraceId,
    string Name,
    DateTime StartTime,
    double DurationMs,
    int SpanCount,
    IReadOnlyList<string> Resources,
    bool HasError)
{
    public static TraceSummaryDto From(TraceSnapshot t) =>
        new(t.TraceId, t.Name, t.StartTime, t.Duration.TotalMilliseconds, t.Spans.Count, [.. t.Resources.Select(r => r.DisplayName)], t.HasError);
}

public sealed record SpanEventDto(string Name, DateTime Time, IReadOnlyDictionary<string, string> Attributes);

public sealed record SpanDto(
    string SpanId,
    string? ParentSpanId,
    string Name,
    string Kind,
    string Resource,
    string Scope,
    DateTime StartTime,
    DateTime EndTime,
    double DurationMs,
    string Status,
    string? StatusMessage,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyList<SpanEventDto> Events)
{
    public static SpanDto From(Span s) => new(
        s.SpanId, s.ParentSpanId, s.Name, s.Kind.ToString(), s.Resource.DisplayName, s.ScopeName, s.StartTime, s.EndTime,
        s.Duration.TotalMilliseconds, s.Status.ToString(), s.StatusMessage, ApiModels.ToObject(s.Attributes),
        [.. s.Events.Select(e => new SpanEventDto(e.Name, e.Time, ApiModels.ToObject(e.Attributes)))]);
}

public sealed record TraceDto(
    string TraceId,
    string Name,
    DateTime StartTime,
    double DurationMs,
    IReadOnlyList<string> Resources,
    bool HasError,
    IReadOnlyList<SpanDto> Spans)
{
    public static TraceDto From(TraceSnapshot t) =>
        new(t.TraceId, t.Name, t.StartTime, t.Duration.TotalMilliseconds, [.. t.Resources.Select(r => r.DisplayName)], t.HasError, [.. t.Spans.Select(SpanDto.From)]);
}

public sealed record InstrumentDto(string Resource, string Meter, string Name, string Description, string Unit, string Kind, int PointCount)
{
    public static InstrumentDto From(InstrumentInfo i) =>
        new(i.Key.Resource.DisplayName, i.Key.MeterName, i.Key.Name, i.Description, i.Unit, i.Kind.ToString(), i.PointCount);
}

public sealed record MetricPointDto(DateTime Time, IReadOnlyDictionary<string, string> Attributes, double Value, ulong? Count);

public sealed record InstrumentDataDto(
    InstrumentDto Instrument,
    IReadOnlyList<IReadOnlyDictionary<string, string>> Dimensions,
    IReadOnlyList<MetricPointDto> Points,
    IReadOnlyList<ChartPoint>? Values,
    IReadOnlyList<ChartPoint>? Rates,
    IReadOnlyList<PercentilePoint>? Percentiles,
    IReadOnlyList<SeriesLineDto> Series);

// One attribute set's line: values (gauges), rates (counters) or one reported quantile (summaries).
public sealed record SeriesLineDto(string Name, IReadOnlyDictionary<string, string> Attributes, IReadOnlyList<ChartPoint> Points);

internal static class ApiModels
{
    public static IReadOnlyDictionary<string, string> ToObject(KeyValuePair<string, string>[] attributes)
    {
        var result = new Dictionary<string, string>(attributes.Length, StringComparer.Ordinal);
        foreach (var (key, value) in attributes)
        {
            result[key] = value;
        }

        return result;
    }
}

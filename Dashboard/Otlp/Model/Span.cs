namespace Aspire.Dashboard.Otlp.Model;

public sealed class Span
{
    public required TelemetryResource Resource { get; init; }
    public required string TraceId { get; init; }
    public required string SpanId { get; init; }
    public string? ParentSpanId { get; init; }
    public required string Name { get; init; }
    public required SpanKind Kind { get; init; }
    public required DateTime StartTime { get; init; }
    public required DateTime EndTime { get; init; }
    public required SpanStatus Status { get; init; }
    public string? StatusMessage { get; init; }
    public required string ScopeName { get; init; }
    public required KeyValuePair<string, string>[] Attributes { get; init; }
    public required SpanEvent[] Events { get; init; }
    public required SpanLink[] Links { get; init; }

    public TimeSpan Duration => EndTime >= StartTime ? EndTime - StartTime : TimeSpan.Zero;

    public string? GetAttribute(string key) => Attributes.FirstOrDefault(a => a.Key == key).Value;
}

public sealed record SpanEvent(string Name, DateTime Time, KeyValuePair<string, string>[] Attributes)
{
    public bool IsException => Name == "exception";
}

public sealed record SpanLink(string TraceId, string SpanId, KeyValuePair<string, string>[] Attributes);

public enum SpanKind
{
    Unspecified,
    Internal,
    Server,
    Client,
    Producer,
    Consumer,
}

public enum SpanStatus
{
    Unset,
    Ok,
    Error,
}

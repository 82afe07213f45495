namespace Aspire.Dashboard.Otlp.Model;

public sealed class LogEntry
{
    public required long Id { get; init; }
    public required TelemetryResource Resource { get; init; }
    public required DateTime Timestamp { get; init; }
    public required LogSeverity Severity { get; init; }
    public required string SeverityText { get; init; }
    public required string Message { get; init; }
    public required KeyValuePair<string, string>[] Attributes { get; init; }
    public required string ScopeName { get; init; }
    public string? TraceId { get; init; }
    public string? SpanId { get; init; }
    public string? EventName { get; init; }

    public string? GetAttribute(string key) => Attributes.FirstOrDefault(a => a.Key == key).Value;
}

// OTLP severity ranges collapsed to the levels .NET users know.
public enum LogSeverity
{
    Unspecified = 0,
    Trace = 1,
    Debug = 5,
    Information = 9,
    Warning = 13,
    Error = 17,
    Critical = 21,
}

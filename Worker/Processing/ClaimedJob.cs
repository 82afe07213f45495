using System.Text.Json;

namespace Worker.Processing;

/// <summary>A job this worker holds the lease on, for one attempt.</summary>
public sealed record ClaimedJob(
    Guid Id,
    string Type,
    string Queue,
    int Attempt,
    int MaxAttempts,
    JsonElement Input,
    DateTimeOffset RunAt,
    DateTimeOffset StartedAt,
    string? TraceParent,
    string? TraceState,
    string? RequestId,
    bool CancelRequested);

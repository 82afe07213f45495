using System.Text.Json;

namespace Jobs.Model;

/// <summary>A validated job ready to insert.</summary>
public sealed record NewJob(
    Guid Id,
    string Type,
    string Queue,
    int Priority,
    int MaxAttempts,
    DateTimeOffset? RunAt,
    JsonElement Input,
    string Owner,
    string? IdempotencyKey,
    byte[]? RequestHash,
    string? TraceParent,
    string? TraceState,
    string? RequestId);

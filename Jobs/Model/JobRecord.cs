using System.Text.Json;

namespace Jobs.Model;

/// <summary>One row of <c>jobs</c> as the Api shows it.</summary>
public sealed record JobRecord(
    Guid Id,
    string Type,
    string Queue,
    int Priority,
    string State,
    int Attempt,
    int MaxAttempts,
    DateTimeOffset RunAt,
    JsonElement Input,
    JsonElement? Result,
    JobError? Error,
    bool CancelRequested,
    string? IdempotencyKey,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? RequestId);

/// <summary>What went wrong in the last attempt: a message and an error type, never a stack trace or secret.</summary>
public sealed record JobError(string Message, string Type);

using System.Text.Json;
using Jobs.Model;

namespace Api.Models;

/// <summary>A page of jobs, newest first; pass <see cref="NextCursor"/> as <c>cursor</c> for the next page.</summary>
public sealed record JobPage(IReadOnlyList<JobRecord> Items, string? NextCursor);

public sealed record JobBatchResponse(int Count, IReadOnlyList<Guid> Ids);

/// <summary>A job's outcome: the result when it succeeded, the error when it is dead.</summary>
public sealed record JobResultResponse(Guid Id, string State, JsonElement? Result, JobError? Error);

public sealed record StepsResponse(Guid JobId, IReadOnlyList<JobStep> Steps);

public sealed record ToolResponse(string Tool, JsonElement Output);

public sealed record ApiInfo(string Name, string? Version, IReadOnlyDictionary<string, string> Links);

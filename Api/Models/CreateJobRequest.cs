using System.Text.Json;

namespace Api.Models;

/// <summary>A job to enqueue. Only <see cref="Type"/> is required.</summary>
/// <param name="Type">One of the known job types (echo, delay, agent, webhook, fail).</param>
/// <param name="Input">The job's input (any JSON, at most 256 KiB); its shape depends on the type.</param>
/// <param name="Queue">Queue name, <c>[a-z0-9_-]{1,64}</c>; default <c>default</c>.</param>
/// <param name="Priority">0 runs first, 9 last; default 5.</param>
/// <param name="MaxAttempts">1 to 100; default 5.</param>
/// <param name="RunAt">Run no earlier than this time; default now.</param>
public sealed record CreateJobRequest(string? Type, JsonElement? Input, string? Queue, int? Priority, int? MaxAttempts, DateTimeOffset? RunAt);

/// <summary>Up to 1,000 jobs inserted in one statement.</summary>
public sealed record CreateJobsRequest(IReadOnlyList<CreateJobRequest>? Jobs);

using System.Text.Json;
using System.Text.RegularExpressions;
using Jobs.Contracts;
using Jobs.Model;

namespace Api.Models;

/// <summary>Turns a <see cref="CreateJobRequest"/> into a <see cref="NewJob"/>, or says exactly what is wrong with it.</summary>
internal static partial class JobRequestValidator
{
    public const int MaxInputBytes = 256 * 1024;
    public const string DefaultQueue = "default";
    public const int DefaultPriority = 5;
    public const int DefaultMaxAttempts = 5;
    public const int MaxMaxAttempts = 100;

    public enum Verdict
    {
        Valid,
        Invalid,
        UnknownType,
        InputTooLarge,
    }

    /// <summary>Validates one request; errors are keyed by field, prefixed with <paramref name="prefix"/> (e.g. <c>jobs[3].</c>).</summary>
    public static Verdict Validate(CreateJobRequest request, string prefix, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(request.Type))
        {
            errors[prefix + "type"] = [$"type is required; known types: {string.Join(", ", JobTypes.All)}."];
            return Verdict.Invalid;
        }
        if (!JobTypes.IsKnown(request.Type))
        {
            errors[prefix + "type"] = [$"Unknown job type '{request.Type}'; known types: {string.Join(", ", JobTypes.All)}."];
            return Verdict.UnknownType;
        }
        var input = Input(request);
        if (System.Text.Encoding.UTF8.GetByteCount(input.GetRawText()) > MaxInputBytes)
        {
            errors[prefix + "input"] = [$"input is over {MaxInputBytes / 1024} KiB."];
            return Verdict.InputTooLarge;
        }

        var before = errors.Count;
        if (request.Queue is { } queue && !QueueName().IsMatch(queue))
        {
            errors[prefix + "queue"] = ["queue must match [a-z0-9_-]{1,64}."];
        }
        if (request.Priority is < 0 or > 9)
        {
            errors[prefix + "priority"] = ["priority must be between 0 (first) and 9 (last)."];
        }
        if (request.MaxAttempts is < 1 or > MaxMaxAttempts)
        {
            errors[prefix + "maxAttempts"] = [$"maxAttempts must be between 1 and {MaxMaxAttempts}."];
        }
        if (JobTypes.Validate(request.Type, input) is { Count: > 0 } inputErrors)
        {
            errors[prefix + "input"] = [.. inputErrors];
        }
        return errors.Count == before ? Verdict.Valid : Verdict.Invalid;
    }

    public static NewJob ToNewJob(CreateJobRequest request, JobOrigin origin, string? idempotencyKey = null, byte[]? requestHash = null) => new(
        Id: Guid.CreateVersion7(),
        Type: request.Type!,
        Queue: request.Queue ?? DefaultQueue,
        Priority: request.Priority ?? DefaultPriority,
        MaxAttempts: request.MaxAttempts ?? DefaultMaxAttempts,
        RunAt: request.RunAt,
        Input: Input(request),
        Owner: origin.Owner,
        IdempotencyKey: idempotencyKey,
        RequestHash: requestHash,
        TraceParent: origin.TraceParent,
        TraceState: origin.TraceState,
        RequestId: origin.RequestId);

    private static JsonElement Input(CreateJobRequest request) =>
        request.Input is { ValueKind: not JsonValueKind.Undefined and not JsonValueKind.Null } input ? input : EmptyObject;

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    [GeneratedRegex("^[a-z0-9_-]{1,64}$")]
    private static partial Regex QueueName();
}

/// <summary>Who asked and from which trace: stored with the job so the worker's span joins the request's trace.</summary>
internal sealed record JobOrigin(string Owner, string? TraceParent, string? TraceState, string? RequestId);

using Jobs.Model;

namespace Worker.Processing;

/// <summary>The outcome of one attempt, waiting in the batch completer. <see cref="State"/> queued means released.</summary>
public sealed record Completion(Guid Id, int Attempt, string State, string? ResultJson, string? ErrorMessage, string? ErrorType, long RetryMs)
{
    public static Completion Succeeded(ClaimedJob job, string? resultJson) => new(job.Id, job.Attempt, JobState.Succeeded, resultJson, null, null, 0);

    public static Completion Cancelled(ClaimedJob job) => new(job.Id, job.Attempt, JobState.Cancelled, null, "Cancelled on request.", "cancelled", 0);

    public static Completion Released(ClaimedJob job) => new(job.Id, job.Attempt, JobState.Queued, null, null, null, 0);

    /// <summary>A failed attempt: retried after <paramref name="retryDelay"/>, or dead when out of attempts.</summary>
    public static Completion Failed(ClaimedJob job, string message, string type, TimeSpan retryDelay) =>
        job.Attempt >= job.MaxAttempts
            ? new(job.Id, job.Attempt, JobState.Dead, null, message, type, 0)
            : new(job.Id, job.Attempt, JobState.Failed, null, message, type, (long)retryDelay.TotalMilliseconds);
}

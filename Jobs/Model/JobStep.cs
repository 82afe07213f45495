namespace Jobs.Model;

/// <summary>One row of <c>job_steps</c>: a step of a multi-step job in one attempt.</summary>
public sealed record JobStep(
    int Attempt,
    int Index,
    string Name,
    string State,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    double? DurationMs,
    string? Output);

public static class JobStepState
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}

namespace Jobs.Model;

/// <summary>The states a job moves through; stored as text in <c>jobs.state</c>.</summary>
public static class JobState
{
    public const string Queued = "queued";
    public const string Scheduled = "scheduled";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    /// <summary>Failed an attempt and will be retried at <c>run_at</c>.</summary>
    public const string Failed = "failed";
    /// <summary>Out of attempts; never retried.</summary>
    public const string Dead = "dead";
    public const string Cancelled = "cancelled";

    public static IReadOnlyList<string> All { get; } = [Queued, Scheduled, Running, Succeeded, Failed, Dead, Cancelled];

    public static IReadOnlyList<string> Finished { get; } = [Succeeded, Dead, Cancelled];

    public static bool IsKnown(string state) => All.Contains(state);

    public static bool IsFinished(string state) => state is Succeeded or Dead or Cancelled;
}

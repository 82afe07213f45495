using Microsoft.Extensions.Options;

namespace Worker.Processing;

/// <summary>Exponential backoff with full jitter and a cap: a random delay in [0, min(cap, base * 2^(attempt-1))].</summary>
public sealed class RetryPolicy(IOptions<WorkerOptions> options)
{
    public TimeSpan DelayFor(int attempt) => DelayFor(attempt, options.Value.RetryBaseDelay, options.Value.RetryMaxDelay, Random.Shared.NextDouble());

    internal static TimeSpan DelayFor(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, double jitter)
    {
        var exponential = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        return TimeSpan.FromMilliseconds(jitter * Math.Min(maxDelay.TotalMilliseconds, exponential));
    }
}

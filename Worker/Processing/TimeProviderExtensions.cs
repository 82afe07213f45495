namespace Worker.Processing;

internal static class TimeProviderExtensions
{
    /// <summary>
    /// Waits at least <paramref name="duration"/> by <paramref name="timeProvider"/>'s clock. Timers fire on the
    /// runtime's coarse tick and can run a fraction of a millisecond early; a job that promises to wait n ms must not
    /// return sooner, so the rest is waited out, rounded up to the timer's whole milliseconds.
    /// </summary>
    public static async Task DelayAtLeastAsync(this TimeProvider timeProvider, TimeSpan duration, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        for (var left = duration; left > TimeSpan.Zero; left = duration - timeProvider.GetElapsedTime(started))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(left.TotalMilliseconds)), timeProvider, cancellationToken);
        }
    }
}

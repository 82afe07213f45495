namespace Jobs.Signals;

/// <summary>An auto-reset event for async code: many <see cref="Set"/> calls before a wait wake it once. One waiter at a time.</summary>
/// <param name="resumeInline">
/// The waiter resumes on the thread that calls <see cref="Set"/>, up to its next await, instead of on a thread-pool
/// thread that must first be woken: for a waiter that goes straight to I/O (the worker's claim loop), so a wake-up
/// reaches Postgres one thread hop sooner.
/// </param>
public sealed class WakeSignal(TimeProvider timeProvider, bool resumeInline = false)
{
    private readonly Lock _lock = new();
    private bool _set;
    private TaskCompletionSource<bool>? _waiter;

    public void Set()
    {
        TaskCompletionSource<bool>? waiter;
        lock (_lock)
        {
            waiter = _waiter;
            _waiter = null;
            if (waiter is null)
            {
                _set = true;
                return;
            }
        }
        if (!waiter.TrySetResult(true))
        {
            // The wait had just timed out: keep the signal for the next one.
            lock (_lock)
            {
                _set = true;
            }
        }
    }

    /// <summary>True when set, false when <paramref name="timeout"/> passed first.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        TaskCompletionSource<bool> waiter;
        lock (_lock)
        {
            if (_set)
            {
                _set = false;
                return true;
            }
            waiter = _waiter = new(resumeInline ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously);
        }
        try
        {
            using var timer = timeProvider.CreateTimer(static w => ((TaskCompletionSource<bool>)w!).TrySetResult(false), waiter, timeout, Timeout.InfiniteTimeSpan);
            using var registration = cancellationToken.Register(static w => ((TaskCompletionSource<bool>)w!).TrySetCanceled(), waiter);
            return await waiter.Task.ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
            {
                if (_waiter == waiter)
                {
                    _waiter = null;
                }
            }
        }
    }
}

namespace Worker.Processing;

/// <summary>Why a running job's token fired; the first reason wins.</summary>
public enum StopReason
{
    None,
    CancelRequested,
    Timeout,
    LeaseLost,
    Shutdown,
}

/// <summary>A job running in this process: its token and why it was stopped, if it was.</summary>
public sealed class RunningJob(ClaimedJob job, TimeProvider timeProvider) : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private ITimer? _timeout;
    private int _reason;

    public ClaimedJob Job { get; } = job;

    public CancellationToken Token => _source.Token;

    public StopReason Reason => (StopReason)Volatile.Read(ref _reason);

    /// <summary>
    /// Starts the attempt's timeout. Called only once the handler has gone asynchronous: a handler that finishes
    /// synchronously cannot overrun, and most jobs then cost no timer at all.
    /// </summary>
    public void StartTimeout(TimeSpan timeout) =>
        _timeout = timeProvider.CreateTimer(static state => ((RunningJob)state!).Stop(StopReason.Timeout), this, timeout, Timeout.InfiniteTimeSpan);

    public void Stop(StopReason reason)
    {
        if (Interlocked.CompareExchange(ref _reason, (int)reason, (int)StopReason.None) == (int)StopReason.None)
        {
            _source.Cancel();
        }
    }

    /// <summary>
    /// Stops the timer. The token source itself is left to the GC: with no timer or wait handle it holds nothing to
    /// release, and a late <see cref="Stop"/> (a timer tick or cancel message racing the end of the job) stays harmless.
    /// </summary>
    public void Dispose() => _timeout?.Dispose();
}

/// <summary>The jobs running in this process, so cancel requests, heartbeats and shutdown can reach them.</summary>
public sealed class RunningJobs
{
    // A plain dictionary under a lock: the runner adds and finishing jobs remove once each, everything else is rare.
    private readonly Dictionary<Guid, RunningJob> _jobs = [];
    private readonly Lock _lock = new();
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public bool IsEmpty => Count == 0;

    public void Add(RunningJob job)
    {
        lock (_lock)
        {
            if (_jobs.TryAdd(job.Job.Id, job))
            {
                _count++;
            }
        }
    }

    public void Remove(Guid id)
    {
        lock (_lock)
        {
            if (_jobs.Remove(id))
            {
                _count--;
            }
        }
    }

    public Guid[] Ids()
    {
        lock (_lock)
        {
            return [.. _jobs.Keys];
        }
    }

    public bool Stop(Guid id, StopReason reason)
    {
        RunningJob? job;
        lock (_lock)
        {
            if (!_jobs.TryGetValue(id, out job))
            {
                return false;
            }
        }
        job.Stop(reason);
        return true;
    }

    public void StopAll(StopReason reason)
    {
        RunningJob[] jobs;
        lock (_lock)
        {
            jobs = [.. _jobs.Values];
        }
        foreach (var job in jobs)
        {
            job.Stop(reason);
        }
    }
}

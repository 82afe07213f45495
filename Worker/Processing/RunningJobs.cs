using System.Collections.Concurrent;

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
public sealed class RunningJob : IDisposable
{
    private readonly CancellationTokenSource _source;
    private int _reason;

    public RunningJob(ClaimedJob job, TimeSpan timeout, TimeProvider timeProvider)
    {
        Job = job;
        _source = new CancellationTokenSource(timeout, timeProvider);
        _source.Token.Register(() => Interlocked.CompareExchange(ref _reason, (int)StopReason.Timeout, (int)StopReason.None));
    }

    public ClaimedJob Job { get; }

    public CancellationToken Token => _source.Token;

    public StopReason Reason => (StopReason)Volatile.Read(ref _reason);

    public void Stop(StopReason reason)
    {
        if (Interlocked.CompareExchange(ref _reason, (int)reason, (int)StopReason.None) == (int)StopReason.None)
        {
            _source.Cancel();
        }
    }

    public void Dispose() => _source.Dispose();
}

/// <summary>The jobs running in this process, so cancel requests, heartbeats and shutdown can reach them.</summary>
public sealed class RunningJobs
{
    private readonly ConcurrentDictionary<Guid, RunningJob> _jobs = new();

    public int Count => _jobs.Count;

    public bool IsEmpty => _jobs.IsEmpty;

    public void Add(RunningJob job) => _jobs[job.Job.Id] = job;

    public void Remove(Guid id) => _jobs.TryRemove(id, out _);

    public Guid[] Ids() => [.. _jobs.Keys];

    public bool Stop(Guid id, StopReason reason)
    {
        if (!_jobs.TryGetValue(id, out var job))
        {
            return false;
        }
        job.Stop(reason);
        return true;
    }

    public void StopAll(StopReason reason)
    {
        foreach (var job in _jobs.Values)
        {
            job.Stop(reason);
        }
    }
}

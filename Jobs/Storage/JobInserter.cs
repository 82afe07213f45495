using System.Collections.Concurrent;
using System.Diagnostics;
using Jobs.Model;
using Jobs.Signals;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Jobs.Storage;

/// <summary>
/// Group commit for one-job enqueues. Requests that arrive while an insert is in flight wait for the next one, which
/// writes them all with one statement, one commit (one WAL flush) and one wake-up per queue; each request still gets
/// its own row back, with idempotency keys honoured row by row. An idle system pays nothing for it: the first request
/// starts the insert on its own thread at once, and announces it to the workers while it is in flight (the commit
/// handshake, <see cref="JobsSql.HoldCommitLock"/>), so a worker's claim waits inside Postgres and starts as the insert
/// commits.
/// </summary>
public sealed partial class JobInserter(JobStore store, JobSignals signals, ILogger<JobInserter> logger)
{
    /// <summary>Most rows per statement: bounds one commit, and so the wait of the requests queued behind it.</summary>
    public const int MaxGroup = 256;

    private readonly ConcurrentQueue<Pending> _queue = new();
    private int _flushing;

    /// <summary>Inserts the job, or returns the existing one (with its request hash) when the idempotency key was used before.</summary>
    public Task<InsertResult> InsertAsync(NewJob job, CancellationToken cancellationToken)
    {
        var pending = new Pending(job);
        _queue.Enqueue(pending);
        if (Interlocked.CompareExchange(ref _flushing, 1, 0) == 0)
        {
            // The loop outlives this request: it must not carry the request's trace, log scope or request id.
            using (ExecutionContext.SuppressFlow())
            {
                _ = FlushLoopAsync();
            }
        }
        // Leaving early does not take the job out of a group already written: as with any request, a client that
        // gives up may still have enqueued (retries with an Idempotency-Key are safe).
        return pending.Result.Task.WaitAsync(cancellationToken);
    }

    private async Task FlushLoopAsync()
    {
        Activity.Current = null;
        var group = new List<Pending>();
        // Only the first group after an idle spell is announced early: under load the groups follow each other, the
        // workers are busy claiming, and the wake-up after each commit is enough.
        var announce = true;
        while (true)
        {
            while (group.Count < MaxGroup && _queue.TryDequeue(out var pending))
            {
                group.Add(pending);
            }
            if (group.Count == 0)
            {
                Volatile.Write(ref _flushing, 0);
                // A request that queued after the drain saw the flag still set and started no loop: take it over.
                if (_queue.IsEmpty || Interlocked.CompareExchange(ref _flushing, 1, 0) != 0)
                {
                    return;
                }
                continue;
            }
            await FlushAsync(group, announce);
            announce = false;
            group.Clear();
        }
    }

    private async Task FlushAsync(List<Pending> group, bool announce)
    {
        try
        {
            // Jobs without a due time are due at once (a past one is rare and still gets the wake-up after the commit).
            var due = announce ? group.Where(p => p.Job.RunAt is null).Select(p => p.Job.Queue).Distinct().ToList() : [];
            var results = await InsertGroupAsync(group, due.Count == 0 ? null : commitLock => due.ForEach(queue => signals.PublishWake(queue, commitLock)));
            // Wake the workers before the requests resume: the jobs are committed, and the wake-up is on their path.
            var woken = results.Where(r => r is { Created: true, Job.State: JobState.Queued }).Select(r => r!.Job.Queue).Distinct().ToList();
            woken.ForEach(queue => signals.PublishWake(queue));
            if (woken.Count > 0)
            {
                // The Redis client sends from a thread-pool item it has just queued on this thread. The requests'
                // continuations would be queued behind it and, LIFO, run first (~0.1 ms of response each), leaving
                // the wake-up to wait or to another thread woken for it: yield so this thread sends it now.
                await Task.Yield();
            }
            for (var i = 0; i < group.Count; i++)
            {
                if (results[i] is { } result)
                {
                    group[i].Result.TrySetResult(result);
                }
            }
        }
        catch (Exception ex)
        {
            // Connection lost or timed out: the commit's fate is unknown, as for a single insert; each request still
            // waiting fails, and the loop goes on for the requests behind them.
            group.ForEach(p => p.Result.TrySetException(ex));
        }
    }

    private async Task<InsertResult?[]> InsertGroupAsync(List<Pending> group, Action<int>? announce)
    {
        var jobs = group.ConvertAll(p => p.Job);
        try
        {
            return await store.InsertGroupAsync(jobs, announce, CancellationToken.None);
        }
        catch (PostgresException ex) when (group.Count > 1)
        {
            // The statement is atomic, so nothing was written: one row the database refuses must not fail the others.
            LogGroupRefused(ex, group.Count, ex.SqlState);
            var results = new InsertResult?[group.Count];
            for (var i = 0; i < group.Count; i++)
            {
                try
                {
                    results[i] = (await store.InsertGroupAsync([jobs[i]], null, CancellationToken.None))[0];
                }
                catch (PostgresException rowError)
                {
                    group[i].Result.TrySetException(rowError);
                }
            }
            return results;
        }
    }

    private sealed class Pending(NewJob job)
    {
        public NewJob Job { get; } = job;

        public TaskCompletionSource<InsertResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A group insert of {Count} jobs was refused ({SqlState}); inserting them one by one")]
    private partial void LogGroupRefused(Exception exception, int count, string sqlState);
}

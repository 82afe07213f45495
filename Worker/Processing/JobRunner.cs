using Jobs.Signals;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Worker.Processing;

/// <summary>
/// The worker's main loop: claim as many due jobs as there are free slots, run each on its own task, and sleep until
/// a Redis wake-up, a freed slot or the poll interval. On stop it claims nothing more, gives running jobs the grace
/// period, then releases the rest so other workers take them at once.
/// </summary>
public sealed partial class JobRunner(
    JobFetcher fetcher,
    JobExecutor executor,
    RunningJobs running,
    BatchCompleter completer,
    JobSignals signals,
    TimeProvider timeProvider,
    IOptions<WorkerOptions> options,
    ILogger<JobRunner> logger) : BackgroundService
{
    // The loop resumes on the thread delivering the wake-up (Redis message, freed slot) and goes straight to the
    // claim's I/O: one thread-pool hop less between a wake-up and the claim reaching Postgres.
    private readonly WakeSignal _wake = new(timeProvider, resumeInline: true);
    private readonly WakeSignal _idle = new(timeProvider);
    private bool _backlog;
    // The lock key of the latest insert announced while in flight (WakeUp.CommitLock), or NoCommit.
    private long _announcedCommit = NoCommit;
    private const long NoCommit = long.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var queues = o.Queues.ToHashSet(StringComparer.Ordinal);
        await signals.SubscribeAsync(JobSignals.Wake, payload =>
        {
            var wake = WakeUp.FromPayload(payload);
            if (queues.Contains(wake.Queue))
            {
                if (wake.CommitLock is { } key)
                {
                    Volatile.Write(ref _announcedCommit, key);
                }
                _wake.Set();
            }
        });
        await signals.SubscribeAsync(JobSignals.Cancel, id =>
        {
            if (Guid.TryParse(id, out var jobId))
            {
                running.Stop(jobId, StopReason.CancelRequested);
            }
        });

        // Claim in chunks under load: a freed slot wakes the loop only once a quarter of a batch is free.
        var refillAt = Math.Max(1, Math.Min(o.ClaimBatchSize, o.Concurrency) / 4);
        var lastClaim = long.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            await completer.WaitForCapacityAsync(stoppingToken);
            var want = Math.Min(o.Concurrency - running.Count, o.ClaimBatchSize);
            if (want > 0)
            {
                // The cooldown gathers wake-ups into one claim; after a full claim more jobs are due, so claim at once,
                // and so after an insert announced in flight: the Api announces only after an idle spell.
                if (lastClaim != long.MinValue && !Volatile.Read(ref _backlog) && Volatile.Read(ref _announcedCommit) == NoCommit
                    && o.FetchCooldown - timeProvider.GetElapsedTime(lastClaim) is { Ticks: > 0 } cooldown)
                {
                    await Task.Delay(cooldown, timeProvider, stoppingToken);
                    want = Math.Min(o.Concurrency - running.Count, o.ClaimBatchSize);
                }
                var previousClaim = lastClaim;
                lastClaim = timeProvider.GetTimestamp();
                var announced = Interlocked.Exchange(ref _announcedCommit, NoCommit);
                List<ClaimedJob> claimed;
                try
                {
                    claimed = await fetcher.ClaimAsync(want, announced == NoCommit ? null : (int)announced, stoppingToken);
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
                {
                    LogClaimFailed(ex);
                    await _wake.WaitAsync(o.PollInterval, stoppingToken);
                    continue;
                }
                if (announced != NoCommit && claimed.Count == 0)
                {
                    // The announcement overtook its insert (or another worker took the job): the wake-up after the
                    // commit must find this loop out of its cooldown, as it would have without the announcement.
                    lastClaim = previousClaim;
                }
                // Only a full claim suggests more are due: then freed slots wake the loop. After a partial claim
                // the queue was empty, and the next job announces itself (Redis wake-up or poll).
                Volatile.Write(ref _backlog, claimed.Count == want);
                foreach (var job in claimed)
                {
                    _ = StartAsync(job, refillAt);
                }
                if (claimed.Count == want)
                {
                    continue;
                }
            }
            await _wake.WaitAsync(o.PollInterval, stoppingToken);
        }
    }

    /// <summary>
    /// Runs the job inline until its handler first awaits, so synchronous jobs finish here without a thread hop;
    /// the rest continue on the thread pool and wake the loop when enough slots are free again.
    /// </summary>
    private async Task StartAsync(ClaimedJob job, int refillAt)
    {
        var runningJob = executor.Prepare(job);
        running.Add(runningJob);
        await executor.RunAsync(runningJob, running); // never throws: every outcome becomes a completion
        if (Volatile.Read(ref _backlog) && options.Value.Concurrency - running.Count >= refillAt)
        {
            _wake.Set();
        }
        if (running.IsEmpty)
        {
            _idle.Set();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken); // the loop stops claiming
        var count = running.Count;
        if (count == 0)
        {
            return;
        }
        LogDraining(count, options.Value.ShutdownGrace);
        using var graceTimeout = new CancellationTokenSource(options.Value.ShutdownGrace, timeProvider);
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, graceTimeout.Token);
        await WaitIdleAsync(grace.Token);
        if (!running.IsEmpty)
        {
            LogReleasing(running.Count);
            running.StopAll(StopReason.Shutdown);
            await WaitIdleAsync(cancellationToken);
        }
    }

    private async Task WaitIdleAsync(CancellationToken cancellationToken)
    {
        while (!running.IsEmpty && !cancellationToken.IsCancellationRequested)
        {
            await _idle.WaitAsync(TimeSpan.FromMilliseconds(100), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claiming jobs failed; retrying after the poll interval")]
    private partial void LogClaimFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: waiting up to {Grace} for {Count} running jobs")]
    private partial void LogDraining(int count, TimeSpan grace);

    [LoggerMessage(Level = LogLevel.Information, Message = "Releasing {Count} unfinished jobs to other workers")]
    private partial void LogReleasing(int count);
}

namespace Worker.Processing;

/// <summary>How a worker claims and runs jobs. Section <c>Jobs:Worker</c>.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Jobs:Worker";

    /// <summary>Queues this worker claims from.</summary>
    public string[] Queues { get; set; } = ["default"];

    /// <summary>
    /// Jobs running at once in this process. Handlers are async, so a slot costs a task, not a thread; the bound
    /// protects what the jobs call (and the connection pool) rather than the worker.
    /// </summary>
    public int Concurrency { get; set; } = 200;

    /// <summary>Most jobs taken by one claim query (never more than the free slots): larger batches cost Postgres less per job.</summary>
    public int ClaimBatchSize { get; set; } = 200;

    /// <summary>
    /// Shortest time between two claims (River's fetch cooldown): wake-ups that arrive sooner are served by one claim,
    /// so a stream of single jobs costs a claim per cooldown rather than one per job on every worker. After a quiet
    /// spell the first wake-up claims at once, so an idle system's latency does not change, and after a full claim
    /// (a backlog) the next claim goes at once too. 15 ms rather than 5: at
    /// ~1,000 single enqueues per second it cut Postgres and worker CPU per job by a quarter (docs/benchmarks.md).
    /// </summary>
    public TimeSpan FetchCooldown { get; set; } = TimeSpan.FromMilliseconds(15);

    /// <summary>The longest a due job waits when no Redis wake-up arrives.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a claimed job stays ours without a heartbeat; after that the rescuer hands it to another worker.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>On SIGTERM, how long running jobs may finish before they are released to other workers.</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(20);

    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Per job type timeouts, e.g. <c>Jobs:Worker:Timeouts:delay = 00:00:30</c>.</summary>
    public Dictionary<string, TimeSpan> Timeouts { get; set; } = [];

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Most completions written by one statement.</summary>
    public int CompleterBatchSize { get; set; } = 2000;

    /// <summary>Completions waiting to be written above which claiming pauses (back-pressure).</summary>
    public int CompleterBacklogLimit { get; set; } = 10_000;

    public TimeSpan TimeoutFor(string type) => Timeouts.TryGetValue(type, out var timeout) ? timeout : DefaultTimeout;

    internal static IEnumerable<string> Validate(WorkerOptions o)
    {
        if (o.Queues is not { Length: > 0 } || o.Queues.Any(string.IsNullOrWhiteSpace)) yield return "Queues must name at least one queue.";
        if (o.Concurrency < 1) yield return "Concurrency must be at least 1.";
        if (o.ClaimBatchSize < 1) yield return "ClaimBatchSize must be at least 1.";
        if (o.PollInterval <= TimeSpan.Zero) yield return "PollInterval must be positive.";
        if (o.FetchCooldown < TimeSpan.Zero || o.FetchCooldown >= o.PollInterval) yield return "FetchCooldown must not be negative and must be below PollInterval.";
        if (o.HeartbeatInterval <= TimeSpan.Zero || o.HeartbeatInterval * 2 > o.LeaseDuration) yield return "HeartbeatInterval must be positive and at most half of LeaseDuration.";
        if (o.ShutdownGrace < TimeSpan.Zero) yield return "ShutdownGrace must not be negative.";
        if (o.DefaultTimeout <= TimeSpan.Zero || o.Timeouts.Values.Any(t => t <= TimeSpan.Zero)) yield return "Timeouts must be positive.";
        if (o.RetryBaseDelay < TimeSpan.Zero || o.RetryMaxDelay < o.RetryBaseDelay) yield return "RetryBaseDelay must not be negative nor above RetryMaxDelay.";
        if (o.CompleterBatchSize < 1 || o.CompleterBacklogLimit < o.CompleterBatchSize) yield return "CompleterBatchSize must be at least 1 and at most CompleterBacklogLimit.";
    }
}

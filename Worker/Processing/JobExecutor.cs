using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics;
using Jobs.Model;
using Jobs.Telemetry;
using Microsoft.Extensions.Options;
using Worker.Handlers;

namespace Worker.Processing;

/// <summary>
/// Runs one claimed job: its consumer span (child of the request that created it), its log scope and request id,
/// its handler under the job's token, and the outcome handed to the batch completer. Called inline by the runner: a
/// handler that finishes synchronously (echo) costs no thread hop, a timer or a task of its own.
/// </summary>
public sealed partial class JobExecutor(
    JobHandlers handlers,
    BatchCompleter completer,
    RetryPolicy retryPolicy,
    JobsTelemetry telemetry,
    TimeProvider timeProvider,
    IOptions<WorkerOptions> options,
    ILogger<JobExecutor> logger)
{
    private const int MaxErrorLength = 1000;

    public RunningJob Prepare(ClaimedJob job) => new(job, timeProvider);

    public async Task RunAsync(RunningJob running, RunningJobs registry)
    {
        var job = running.Job;
        var typeTag = new KeyValuePair<string, object?>("job.type", job.Type);
        ActivityContext.TryParse(job.TraceParent, job.TraceState, isRemote: true, out var parent);
        using var activity = JobsTelemetry.ActivitySource.HasListeners()
            ? JobsTelemetry.ActivitySource.StartActivity(SpanName(job.Type), ActivityKind.Consumer, parent, SpanTags(job))
            : null;
        using var scope = logger.BeginScope(new JobLogScope(job));
        // The creating request's id travels on: outgoing calls (webhook, http-get) forward it as X-Request-ID.
        using var requestId = job.RequestId is { } id && RequestId.IsValid(id) ? RequestId.Begin(id) : null;

        telemetry.Running.Add(1, typeTag);
        telemetry.QueueWait.Record(Math.Max(0, (job.StartedAt - job.RunAt).TotalSeconds), typeTag);
        var started = timeProvider.GetTimestamp();
        Completion? completion;
        try
        {
            if (job.CancelRequested)
            {
                running.Stop(StopReason.CancelRequested);
            }
            running.Token.ThrowIfCancellationRequested();
            var handler = handlers.Find(job.Type) ?? throw new JobFailedException("unknown_type", $"No handler for job type '{job.Type}'.");
            var run = handler.RunAsync(job, running.Token);
            if (!run.IsCompleted)
            {
                running.StartTimeout(options.Value.TimeoutFor(job.Type));
            }
            var result = await run;
            completion = Completion.Succeeded(job, result is { } value ? value.GetRawText() : null);
        }
        catch (Exception ex) when (running.Token.IsCancellationRequested && ex is OperationCanceledException or TaskCanceledException)
        {
            completion = running.Reason switch
            {
                StopReason.CancelRequested => Completion.Cancelled(job),
                StopReason.Shutdown => Completion.Released(job),
                StopReason.Timeout => Fail(job, "timeout", $"The job ran longer than its {options.Value.TimeoutFor(job.Type)} timeout."),
                _ => null, // LeaseLost: another worker owns the job now; nothing of ours may be recorded.
            };
        }
        catch (Exception ex)
        {
            var (type, message) = ex is JobFailedException failed ? (failed.ErrorType, failed.Message) : (ex.GetType().Name, ex.Message);
            activity?.AddException(ex);
            LogAttemptFailed(job.Type, job.Attempt, job.MaxAttempts, type);
            completion = Fail(job, type, message);
        }
        finally
        {
            registry.Remove(job.Id);
            running.Dispose();
            telemetry.Running.Add(-1, typeTag);
        }

        var outcome = completion?.State ?? "lease_lost";
        activity?.SetTag("job.outcome", outcome);
        if (completion is { State: JobState.Failed or JobState.Dead })
        {
            activity?.SetStatus(ActivityStatusCode.Error, completion.ErrorType);
        }
        var outcomeTag = new KeyValuePair<string, object?>("job.outcome", outcome);
        telemetry.Duration.Record(timeProvider.GetElapsedTime(started).TotalSeconds, typeTag, outcomeTag);
        telemetry.Completed.Add(1, typeTag, outcomeTag);
        if (completion is not null)
        {
            completer.Enqueue(completion);
        }
    }

    private static readonly ConcurrentDictionary<string, string> SpanNames = new(StringComparer.Ordinal);

    /// <summary><c>run {type}</c>, one string per type rather than one per job.</summary>
    private static string SpanName(string type) => SpanNames.GetOrAdd(type, static t => $"run {t}");

    /// <summary>Given at start, so samplers see them and the span takes them without a lock per tag.</summary>
    private static KeyValuePair<string, object?>[] SpanTags(ClaimedJob job) =>
    [
        new("job.id", job.Id),
        new("job.type", job.Type),
        new("job.attempt", job.Attempt),
        new("job.queue", job.Queue),
    ];

    private Completion Fail(ClaimedJob job, string type, string message) =>
        Completion.Failed(job, message.Length <= MaxErrorLength ? message : message[..MaxErrorLength], type, retryPolicy.DelayFor(job.Attempt));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job of type {JobType} failed attempt {Attempt} of {MaxAttempts} ({ErrorType})")]
    private partial void LogAttemptFailed(string jobType, int attempt, int maxAttempts, string errorType);

    /// <summary><c>job_id</c> and <c>request_id</c> for every log line of a run, without a dictionary per job.</summary>
    private sealed class JobLogScope(ClaimedJob job) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => 2;

        public KeyValuePair<string, object?> this[int index] => index switch
        {
            0 => new("job_id", job.Id),
            1 => new("request_id", job.RequestId),
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            yield return this[0];
            yield return this[1];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"job_id:{job.Id} request_id:{job.RequestId}";
    }
}

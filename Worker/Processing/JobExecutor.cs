using System.Diagnostics;
using Jobs.Telemetry;
using Microsoft.Extensions.Options;
using Worker.Handlers;

namespace Worker.Processing;

/// <summary>
/// Runs one claimed job: its consumer span (child of the request that created it), its log scope, its handler under
/// the job's token, and the outcome handed to the batch completer.
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

    public RunningJob Prepare(ClaimedJob job) => new(job, options.Value.TimeoutFor(job.Type), timeProvider);

    public async Task RunAsync(RunningJob running, RunningJobs registry)
    {
        var job = running.Job;
        var typeTag = new KeyValuePair<string, object?>("job.type", job.Type);
        ActivityContext.TryParse(job.TraceParent, job.TraceState, isRemote: true, out var parent);
        using var activity = JobsTelemetry.ActivitySource.StartActivity(ActivityKind.Consumer, parent, name: $"run {job.Type}");
        activity?.SetTag("job.id", job.Id).SetTag("job.type", job.Type).SetTag("job.attempt", job.Attempt).SetTag("job.queue", job.Queue);
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["job_id"] = job.Id, ["request_id"] = job.RequestId });
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
            var result = await handler.RunAsync(job, running.Token);
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
        if (completion is { State: Jobs.Model.JobState.Failed or Jobs.Model.JobState.Dead })
        {
            activity?.SetStatus(ActivityStatusCode.Error, completion.ErrorType);
        }
        telemetry.Duration.Record(timeProvider.GetElapsedTime(started).TotalSeconds, typeTag, new("job.outcome", outcome));
        telemetry.Completed.Add(1, typeTag, new("job.outcome", outcome));
        if (completion is not null)
        {
            completer.Enqueue(completion);
        }
    }

    private Completion Fail(ClaimedJob job, string type, string message) =>
        Completion.Failed(job, message.Length <= MaxErrorLength ? message : message[..MaxErrorLength], type, retryPolicy.DelayFor(job.Attempt));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job of type {JobType} failed attempt {Attempt} of {MaxAttempts} ({ErrorType})")]
    private partial void LogAttemptFailed(string jobType, int attempt, int maxAttempts, string errorType);
}

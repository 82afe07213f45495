using System.Diagnostics;
using System.Globalization;
using Api.Events;
using Api.Infrastructure;
using Api.Models;
using Api.RateLimiting;
using Jobs.Contracts;
using Jobs.Model;
using Jobs.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Api.Apis;

/// <summary>The <c>/api/v1/jobs</c> endpoints: enqueue, read, list, cancel, delete and follow jobs.</summary>
public static class JobsApi
{
    public const int MaxBatch = 1000;
    public const int MaxPageSize = 200;
    public const int DefaultPageSize = 50;
    private const int MaxIdempotencyKeyLength = 255;
    private const long MaxSingleBody = JobRequestValidator.MaxInputBytes + 64 * 1024;
    private const long MaxBatchBody = 64L * 1024 * 1024;

    public static RouteGroupBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/jobs").WithTags("Jobs").AddEndpointFilter<RateLimitFilter>();

        api.MapPost("/", CreateJob).RequireScope(Scopes.Write)
            .Accepts<CreateJobRequest>("application/json").WithSummary("Enqueue a job");
        api.MapPost("/batch", CreateJobs).RequireScope(Scopes.Write)
            .Accepts<CreateJobsRequest>("application/json").WithSummary("Enqueue up to 1,000 jobs in one statement");
        api.MapGet("/", ListJobs).RequireScope(Scopes.Read).WithSummary("List jobs, newest first");
        api.MapGet("/{id}", GetJob).RequireScope(Scopes.Read).WithSummary("Get a job");
        api.MapGet("/{id}/steps", GetSteps).RequireScope(Scopes.Read).WithSummary("Get a job's steps");
        api.MapGet("/{id}/result", GetResult).RequireScope(Scopes.Read).WithSummary("Get a job's result (202 until it finishes)");
        api.MapGet("/{id}/events", JobEventStream.StreamAsync).RequireScope(Scopes.Read).WithSummary("Follow a job as Server-Sent Events");
        api.MapPost("/{id}/cancel", CancelJob).RequireScope(Scopes.Write).WithSummary("Cancel a job");
        api.MapDelete("/{id}", DeleteJob).RequireScope(Scopes.Write).WithSummary("Delete a finished job");
        return api;
    }

    public static async Task<Results<Accepted<JobRecord>, ProblemHttpResult>> CreateJob(
        HttpContext context, [AsParameters] JobServices services, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (idempotencyKey is not null && (idempotencyKey.Length is 0 or > MaxIdempotencyKeyLength || idempotencyKey.Any(c => c is < '!' or > '~')))
        {
            return Problems.BadRequest($"Idempotency-Key must be 1 to {MaxIdempotencyKeyLength} visible ASCII characters.");
        }
        var (request, bodyHash, problem) = await JsonBody.ReadAsync<CreateJobRequest>(context.Request, MaxSingleBody, hash: idempotencyKey is not null, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var errors = new Dictionary<string, string[]>();
        if (Reject(JobRequestValidator.Validate(request!, "", errors), errors) is { } rejected)
        {
            return rejected;
        }

        using var activity = StartEnqueueActivity(request!.Type!, 1);
        var job = JobRequestValidator.ToNewJob(request, Origin(context, activity), idempotencyKey, bodyHash);
        var (stored, created, existingHash) = await services.Inserter.InsertAsync(job, cancellationToken);
        activity?.SetTag("job.id", stored.Id);
        if (!created)
        {
            if (existingHash is null || !existingHash.AsSpan().SequenceEqual(job.RequestHash))
            {
                return Problems.Conflict($"Idempotency-Key '{idempotencyKey}' was already used with a different request body (job {stored.Id}).");
            }
            context.Response.Headers["Idempotent-Replayed"] = "true";
            return TypedResults.Accepted(JobUri(stored.Id), stored);
        }

        // The inserter has already woken the workers for it (one wake-up per group of concurrent inserts).
        services.Telemetry.Created.Add(1, new("job.type", stored.Type), new("job.queue", stored.Queue));
        return TypedResults.Accepted(JobUri(stored.Id), stored);
    }

    public static async Task<Results<Accepted<JobBatchResponse>, ProblemHttpResult>> CreateJobs(
        HttpContext context, [AsParameters] JobServices services, CancellationToken cancellationToken)
    {
        var (request, _, problem) = await JsonBody.ReadAsync<CreateJobsRequest>(context.Request, MaxBatchBody, hash: false, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        if (request!.Jobs is not { Count: > 0 and <= MaxBatch } items)
        {
            return Problems.Unprocessable(new Dictionary<string, string[]> { ["jobs"] = [$"jobs must hold 1 to {MaxBatch} jobs."] });
        }
        var errors = new Dictionary<string, string[]>();
        var worst = JobRequestValidator.Verdict.Valid;
        for (var i = 0; i < items.Count; i++)
        {
            var verdict = items[i] is null
                ? Invalid(errors, $"jobs[{i}]")
                : JobRequestValidator.Validate(items[i], $"jobs[{i}].", errors);
            worst = verdict > worst ? verdict : worst;
        }
        if (Reject(worst, errors) is { } rejected)
        {
            return rejected;
        }

        using var activity = StartEnqueueActivity("batch", items.Count);
        var origin = Origin(context, activity);
        var jobs = items.Select(item => JobRequestValidator.ToNewJob(item, origin)).ToList();
        await services.Store.InsertManyAsync(jobs, cancellationToken);
        foreach (var group in jobs.GroupBy(j => (j.Type, j.Queue)))
        {
            services.Telemetry.Created.Add(group.Count(), new("job.type", group.Key.Type), new("job.queue", group.Key.Queue));
        }
        foreach (var queue in jobs.Select(j => j.Queue).Distinct())
        {
            services.Signals.PublishWake(queue);
        }
        return TypedResults.Accepted("/api/v1/jobs", new JobBatchResponse(jobs.Count, [.. jobs.Select(j => j.Id)]));
    }

    public static async Task<Results<Ok<JobPage>, ProblemHttpResult>> ListJobs(
        [AsParameters] JobServices services, string? state, string? type, string? queue, string? createdAfter, string? createdBefore,
        string? limit, string? cursor, CancellationToken cancellationToken)
    {
        string[]? states = null;
        if (!string.IsNullOrEmpty(state))
        {
            states = state.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (states.Length == 0 || !states.All(JobState.IsKnown))
            {
                return Problems.BadRequest($"state must be a comma-separated list of: {string.Join(", ", JobState.All)}.");
            }
        }
        if (!TryParseTime(createdAfter, out var from) || !TryParseTime(createdBefore, out var to))
        {
            return Problems.BadRequest("createdAfter and createdBefore must be ISO 8601 timestamps, e.g. 2025-01-31T12:00:00Z.");
        }
        var pageSize = DefaultPageSize;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize))
        {
            return Problems.BadRequest($"limit must be an integer from 1 to {MaxPageSize}.");
        }
        Guid? after = null;
        if (cursor is not null)
        {
            if (!Cursor.TryDecode(cursor, out var lastId))
            {
                return Problems.BadRequest("cursor is not one this API returned; start again without it.");
            }
            after = lastId;
        }

        var page = await services.Store.ListAsync(new(after, states, type, queue, from, to, pageSize + 1), cancellationToken);
        var items = page.Count > pageSize ? page.Take(pageSize).ToList() : page;
        return TypedResults.Ok(new JobPage(items, page.Count > pageSize ? Cursor.Encode(items[^1].Id) : null));
    }

    public static async Task<Results<Ok<JobRecord>, ProblemHttpResult>> GetJob(string id, [AsParameters] JobServices services, CancellationToken cancellationToken) =>
        Guid.TryParse(id, out var jobId) && await services.Store.GetAsync(jobId, cancellationToken) is { } job
            ? TypedResults.Ok(job)
            : Problems.NotFound(id);

    public static async Task<Results<Ok<StepsResponse>, ProblemHttpResult>> GetSteps(string id, [AsParameters] JobServices services, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var jobId) || await services.Store.GetAsync(jobId, cancellationToken) is null)
        {
            return Problems.NotFound(id);
        }
        return TypedResults.Ok(new StepsResponse(jobId, await services.Store.GetStepsAsync(jobId, cancellationToken)));
    }

    public static async Task<Results<Ok<JobResultResponse>, Accepted<JobResultResponse>, ProblemHttpResult>> GetResult(
        string id, HttpContext context, [AsParameters] JobServices services, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var jobId) || await services.Store.GetAsync(jobId, cancellationToken) is not { } job)
        {
            return Problems.NotFound(id);
        }
        var response = new JobResultResponse(job.Id, job.State, job.Result, job.Error);
        if (JobState.IsFinished(job.State))
        {
            return TypedResults.Ok(response);
        }
        context.Response.Headers.RetryAfter = "1";
        return TypedResults.Accepted(JobUri(job.Id) + "/result", response);
    }

    public static async Task<Results<Ok<JobRecord>, Accepted<JobRecord>, ProblemHttpResult>> CancelJob(
        string id, [AsParameters] JobServices services, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var jobId))
        {
            return Problems.NotFound(id);
        }
        var (job, state) = await services.Store.CancelAsync(jobId, cancellationToken);
        if (job is null)
        {
            return state is null ? Problems.NotFound(id) : Problems.Conflict($"The job is already {state}; only waiting or running jobs can be cancelled.");
        }
        services.Signals.PublishChanged([job.Id]);
        if (job.State == JobState.Running)
        {
            services.Signals.PublishCancel(job.Id);
            return TypedResults.Accepted(JobUri(job.Id), job);
        }
        return TypedResults.Ok(job);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteJob(string id, [AsParameters] JobServices services, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var jobId))
        {
            return Problems.NotFound(id);
        }
        var (deleted, state) = await services.Store.DeleteAsync(jobId, cancellationToken);
        return deleted ? TypedResults.NoContent()
            : state is null ? Problems.NotFound(id)
            : Problems.Conflict($"The job is {state}; only finished jobs (succeeded, dead, cancelled) can be deleted. Cancel it first.");
    }

    private static ProblemHttpResult? Reject(JobRequestValidator.Verdict verdict, Dictionary<string, string[]> errors) => verdict switch
    {
        JobRequestValidator.Verdict.Valid => null,
        JobRequestValidator.Verdict.InputTooLarge => Problems.TooLarge($"A job's input may be at most {JobRequestValidator.MaxInputBytes / 1024} KiB."),
        JobRequestValidator.Verdict.UnknownType => Problems.Unprocessable(errors, new Dictionary<string, object?> { ["knownTypes"] = JobTypes.All }),
        _ => Problems.Unprocessable(errors),
    };

    private static JobRequestValidator.Verdict Invalid(Dictionary<string, string[]> errors, string key)
    {
        errors[key] = ["Each job must be an object."];
        return JobRequestValidator.Verdict.Invalid;
    }

    /// <summary>The producer span; its context is stored with the job so the worker's consumer span continues the trace.</summary>
    private static Activity? StartEnqueueActivity(string type, int count) =>
        JobsTelemetry.ActivitySource.StartActivity($"enqueue {type}", ActivityKind.Producer)?
            .SetTag("job.type", type).SetTag("job.count", count);

    private static JobOrigin Origin(HttpContext context, Activity? activity)
    {
        var parent = activity ?? Activity.Current;
        var w3c = parent is { IdFormat: ActivityIdFormat.W3C };
        return new JobOrigin(
            Owner: context.User.Identity?.Name ?? "anonymous",
            TraceParent: w3c ? parent!.Id : null,
            TraceState: w3c ? parent!.TraceStateString : null,
            RequestId: context.GetRequestId());
    }

    private static bool TryParseTime(string? text, out DateTimeOffset? value)
    {
        value = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            value = parsed;
            return true;
        }
        return false;
    }

    private static string JobUri(Guid id) => $"/api/v1/jobs/{id}";
}

using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Api.Infrastructure;
using Jobs.Model;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Api.Events;

/// <summary>
/// <c>GET /jobs/{id}/events</c>: Server-Sent Events of the job's state (<c>state</c>) and steps (<c>step</c>), ending
/// after the event that shows the job finished. Woken by the change feed, re-checked every second regardless.
/// </summary>
public static class JobEventStream
{
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(1);

    public static async Task<Results<ServerSentEventsResult<object>, ProblemHttpResult>> StreamAsync(
        string id, [AsParameters] JobServices services, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var jobId) || await services.Store.GetAsync(jobId, cancellationToken) is null)
        {
            return Problems.NotFound(id);
        }
        return TypedResults.ServerSentEvents(Events(jobId, services, cancellationToken));
    }

    private static async IAsyncEnumerable<SseItem<object>> Events(Guid id, JobServices services, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var watch = services.Feed.Subscribe(id);
        (string State, int Attempt, bool CancelRequested)? last = null;
        var steps = new Dictionary<(int Attempt, int Index), string>();
        while (!cancellationToken.IsCancellationRequested)
        {
            var job = await services.Store.GetAsync(id, cancellationToken);
            if (job is null)
            {
                yield return new SseItem<object>(new { id }, "deleted");
                yield break;
            }
            foreach (var step in await services.Store.GetStepsAsync(id, cancellationToken))
            {
                if (!steps.TryGetValue((step.Attempt, step.Index), out var seen) || seen != step.State)
                {
                    steps[(step.Attempt, step.Index)] = step.State;
                    yield return new SseItem<object>(step, "step");
                }
            }
            var now = (job.State, job.Attempt, job.CancelRequested);
            if (now != last)
            {
                last = now;
                yield return new SseItem<object>(job, "state");
            }
            if (JobState.IsFinished(job.State))
            {
                yield break;
            }
            await watch.WaitAsync(RecheckInterval, cancellationToken);
        }
    }
}

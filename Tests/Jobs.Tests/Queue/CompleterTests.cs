using Jobs.Model;
using Jobs.Tests.Infrastructure;
using Worker.Processing;

namespace Jobs.Tests.Queue;

[Collection(SharedAppCollection.Name)]
public sealed class CompleterTests(JobsApp app) : IAsyncLifetime
{
    private readonly TestDatabase _database = new(app);

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Batch_records_success_retry_dead_cancel_and_release_in_one_statement()
    {
        var harness = new QueueHarness(_database, new WorkerOptions { Queues = ["complete-all"] });
        await harness.Store.InsertAsync(5, i => TestJobs.New(queue: "complete-all", maxAttempts: i == 2 ? 1 : 3));
        var (fetcher, completer, _) = harness.Worker();
        var jobs = await fetcher.ClaimAsync(5, CancellationToken.None);

        var last = jobs.Single(j => j.MaxAttempts == 1);
        var others = jobs.Where(j => j.MaxAttempts == 3).ToList();

        var written = await completer.FlushAsync(
        [
            Completion.Succeeded(others[0], """{"ok":true}"""),
            Completion.Failed(others[1], "boom", "test", TimeSpan.FromMinutes(5)),
            Completion.Failed(last, "boom", "test", TimeSpan.Zero),
            Completion.Cancelled(others[2]),
            Completion.Released(others[3]),
        ]);

        Assert.Equal(5, written);
        var states = new List<JobRecord>();
        foreach (var job in new[] { others[0], others[1], last, others[2], others[3] })
        {
            states.Add((await harness.Store.GetAsync(job.Id, CancellationToken.None))!);
        }
        Assert.Equal([JobState.Succeeded, JobState.Failed, JobState.Dead, JobState.Cancelled, JobState.Queued], states.Select(s => s.State));
        Assert.True(states[0].Result!.Value.GetProperty("ok").GetBoolean());
        Assert.Equal(new JobError("boom", "test"), states[1].Error);
        Assert.True(states[1].RunAt > DateTimeOffset.UtcNow.AddMinutes(4), "a retry waits for its backoff");
        Assert.NotNull(states[2].FinishedAt);
        Assert.Equal(0, states[4].Attempt); // a release gives the attempt back
        Assert.Null(await _database.ScalarAsync<object>("SELECT lease_owner FROM jobs WHERE id = $1", others[3].Id) as string);
    }

    [Fact]
    public async Task Completion_is_ignored_once_the_lease_belongs_to_another_attempt()
    {
        var harness = new QueueHarness(_database, new WorkerOptions { Queues = ["complete-lease"] });
        await harness.Store.InsertAsync(1, _ => TestJobs.New(queue: "complete-lease"));
        var first = harness.Worker();
        var second = harness.Worker();
        var job = (await first.Fetcher.ClaimAsync(1, CancellationToken.None)).Single();

        // The first worker stalls, its lease expires, the rescuer requeues the job and a second worker takes it.
        await _database.ExecuteAsync("UPDATE jobs SET lease_expires_at = now() - interval '1 second' WHERE id = $1", job.Id);
        Assert.Equal(1, await harness.Rescuer().RunOnceAsync(CancellationToken.None));
        var rerun = (await second.Fetcher.ClaimAsync(1, CancellationToken.None)).Single();
        Assert.Equal(2, rerun.Attempt);

        Assert.Equal(0, await first.Completer.FlushAsync([Completion.Succeeded(job, """ "stale" """)]));
        Assert.Equal(1, await second.Completer.FlushAsync([Completion.Succeeded(rerun, """ "fresh" """)]));
        var stored = await harness.Store.GetAsync(job.Id, CancellationToken.None);
        Assert.Equal("fresh", stored!.Result!.Value.GetString());
        Assert.Equal(2, stored.Attempt);
    }
}

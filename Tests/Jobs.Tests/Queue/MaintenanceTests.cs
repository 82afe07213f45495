using Jobs.Model;
using Jobs.Tests.Infrastructure;
using Worker.Maintenance;
using Worker.Processing;

namespace Jobs.Tests.Queue;

[Collection(SharedAppCollection.Name)]
public sealed class MaintenanceTests(JobsApp app) : IAsyncLifetime
{
    private readonly TestDatabase _database = new(app);

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Rescuer_requeues_expired_leases_and_buries_jobs_out_of_attempts()
    {
        var harness = new QueueHarness(_database, new WorkerOptions { Queues = ["rescue"] });
        await harness.Store.InsertAsync(3, i => TestJobs.New(queue: "rescue", maxAttempts: i == 1 ? 1 : 3));
        var jobs = await harness.Worker().Fetcher.ClaimAsync(3, CancellationToken.None);
        var lastAttempt = jobs.Single(j => j.MaxAttempts == 1);
        var (cancelled, healthy) = (jobs.First(j => j.MaxAttempts == 3), jobs.Last(j => j.MaxAttempts == 3));
        await _database.ExecuteAsync("UPDATE jobs SET lease_expires_at = now() - interval '1 second' WHERE id = ANY($1)", new[] { cancelled.Id, lastAttempt.Id });
        await _database.ExecuteAsync("UPDATE jobs SET cancel_requested_at = now() WHERE id = $1", cancelled.Id);

        Assert.Equal(2, await harness.Rescuer().RunOnceAsync(CancellationToken.None));

        Assert.Equal(JobState.Cancelled, (await harness.Store.GetAsync(cancelled.Id, CancellationToken.None))!.State);
        var dead = (await harness.Store.GetAsync(lastAttempt.Id, CancellationToken.None))!;
        Assert.Equal(JobState.Dead, dead.State);
        Assert.Equal("lease_expired", dead.Error!.Type);
        Assert.Equal(JobState.Running, (await harness.Store.GetAsync(healthy.Id, CancellationToken.None))!.State);
        Assert.Equal(0, await harness.Rescuer().RunOnceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Rescued_job_is_queued_for_another_attempt()
    {
        var harness = new QueueHarness(_database, new WorkerOptions { Queues = ["rescue-again"] });
        await harness.Store.InsertAsync(1, _ => TestJobs.New(queue: "rescue-again"));
        var job = (await harness.Worker().Fetcher.ClaimAsync(1, CancellationToken.None)).Single();
        await _database.ExecuteAsync("UPDATE jobs SET lease_expires_at = now() - interval '1 second' WHERE id = $1", job.Id);

        await harness.Rescuer().RunOnceAsync(CancellationToken.None);

        var stored = (await harness.Store.GetAsync(job.Id, CancellationToken.None))!;
        Assert.Equal(JobState.Queued, stored.State);
        Assert.Equal(1, stored.Attempt);
    }

    [Fact]
    public async Task Promoter_queues_scheduled_and_retry_jobs_once_due()
    {
        var harness = new QueueHarness(_database);
        var due = await harness.Store.InsertAsync(2, _ => TestJobs.New(queue: "promote", runAt: DateTimeOffset.UtcNow.AddHours(1)));
        var later = await harness.Store.InsertAsync(1, _ => TestJobs.New(queue: "promote", runAt: DateTimeOffset.UtcNow.AddHours(1)));
        Assert.Equal(JobState.Scheduled, (await harness.Store.GetAsync(due[0], CancellationToken.None))!.State);
        await _database.ExecuteAsync("UPDATE jobs SET run_at = now() - interval '1 second' WHERE id = ANY($1)", due.ToArray());
        await _database.ExecuteAsync("UPDATE jobs SET state = 'failed' WHERE id = $1", due[1]);

        Assert.Equal(2, await harness.Promoter().RunOnceAsync(CancellationToken.None));

        Assert.All(due, id => Assert.Equal(JobState.Queued, harness.Store.GetAsync(id, CancellationToken.None).Result!.State));
        Assert.Equal(JobState.Scheduled, (await harness.Store.GetAsync(later[0], CancellationToken.None))!.State);
    }

    [Fact]
    public async Task Retention_deletes_old_finished_jobs_in_batches_and_keeps_the_rest()
    {
        var harness = new QueueHarness(_database, maintenance: new MaintenanceOptions { Retention = TimeSpan.FromDays(7), BatchSize = 10 });
        var old = await harness.Store.InsertAsync(25, _ => TestJobs.New(queue: "retention"));
        var recent = await harness.Store.InsertAsync(3, _ => TestJobs.New(queue: "retention"));
        var waiting = await harness.Store.InsertAsync(2, _ => TestJobs.New(queue: "retention"));
        await _database.ExecuteAsync("UPDATE jobs SET state = 'succeeded', finished_at = now() - interval '8 days' WHERE id = ANY($1)", old.ToArray());
        await _database.ExecuteAsync("UPDATE jobs SET state = 'dead', finished_at = now() - interval '6 days' WHERE id = ANY($1)", recent.ToArray());
        await _database.ExecuteAsync("UPDATE jobs SET created_at = now() - interval '30 days' WHERE id = ANY($1)", waiting.ToArray());

        Assert.Equal(25, await harness.Pruner().RunOnceAsync(CancellationToken.None));

        Assert.Equal(5L, await _database.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE queue = 'retention'"));
    }
}

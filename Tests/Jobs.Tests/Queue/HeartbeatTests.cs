using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Worker.Processing;

namespace Jobs.Tests.Queue;

[Collection(SharedAppCollection.Name)]
public sealed class HeartbeatTests(JobsApp app) : IAsyncLifetime
{
    // Only bounds a hang: the fake clock never moves on its own, so a heartbeat that waited for its next tick
    // before stopping would never finish.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private readonly TestDatabase _database = new(app);

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task An_idle_worker_stops_its_heartbeat_at_once()
    {
        var harness = new QueueHarness(_database);
        using var heartbeat = Heartbeat(harness, new RunningJobs(), new WorkerIdentity());
        await heartbeat.StartAsync(CancellationToken.None);

        await heartbeat.StopAsync(CancellationToken.None).WaitAsync(HangGuard);
    }

    [Fact]
    public async Task After_stop_leases_stay_renewed_until_the_last_running_job_finishes()
    {
        var harness = new QueueHarness(_database, new WorkerOptions { Queues = ["heartbeat-drain"] });
        await harness.Store.InsertAsync(1, _ => TestJobs.New(queue: "heartbeat-drain"));
        var (fetcher, _, identity) = harness.Worker();
        var job = (await fetcher.ClaimAsync(1, CancellationToken.None)).Single();
        var running = new RunningJobs();
        using var runningJob = new RunningJob(job, harness.Time);
        running.Add(runningJob);
        using var heartbeat = Heartbeat(harness, running, identity);
        await heartbeat.StartAsync(CancellationToken.None);
        var leaseAtStop = await LeaseAsync(job.Id);

        var stopping = heartbeat.StopAsync(CancellationToken.None);
        // The clock ticks until the lease moves: a tick that lands while the heartbeat is still taking in the stop
        // is absorbed by the cancelled wait (PeriodicTimer), so one tick alone could be lost.
        using (var guard = new CancellationTokenSource(HangGuard))
        {
            while (await LeaseAsync(job.Id) == leaseAtStop)
            {
                harness.Time.Advance(harness.WorkerOptions.Value.HeartbeatInterval);
                await Task.Delay(20, guard.Token);
            }
        }
        Assert.False(stopping.IsCompleted, "the heartbeat stopped while a job was still running");

        running.Remove(job.Id);
        harness.Time.Advance(harness.WorkerOptions.Value.HeartbeatInterval);
        await stopping.WaitAsync(HangGuard);
    }

    private static LeaseHeartbeat Heartbeat(QueueHarness harness, RunningJobs running, WorkerIdentity identity) =>
        new(harness.Database.DataSource, running, identity, harness.Time, harness.WorkerOptions, NullLogger<LeaseHeartbeat>.Instance);

    private Task<DateTime> LeaseAsync(Guid id) =>
        _database.ScalarAsync<DateTime>("SELECT lease_expires_at FROM jobs WHERE id = $1", id);
}

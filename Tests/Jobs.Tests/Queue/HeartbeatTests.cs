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

    private static LeaseHeartbeat Heartbeat(QueueHarness harness, RunningJobs running, WorkerIdentity identity) =>
        new(harness.Database.DataSource, running, identity, harness.Time, harness.WorkerOptions, NullLogger<LeaseHeartbeat>.Instance);
}

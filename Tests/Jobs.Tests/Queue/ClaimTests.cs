using System.Collections.Concurrent;
using Jobs.Model;
using Jobs.Tests.Infrastructure;
using Worker.Processing;

namespace Jobs.Tests.Queue;

[Collection(SharedAppCollection.Name)]
public sealed class ClaimTests(JobsApp app) : IAsyncLifetime
{
    private readonly TestDatabase _database = new(app);

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Claim_takes_due_jobs_by_priority_then_age_and_leases_them()
    {
        var harness = new QueueHarness(_database, new WorkerOptions { Queues = ["claim-order"] });
        var low = await harness.Store.InsertAsync(3, _ => TestJobs.New(priority: 9, queue: "claim-order"));
        var high = await harness.Store.InsertAsync(2, _ => TestJobs.New(priority: 0, queue: "claim-order"));
        await harness.Store.InsertAsync(1, _ => TestJobs.New(priority: 0, queue: "claim-order", runAt: DateTimeOffset.UtcNow.AddHours(1)));
        var (fetcher, _, identity) = harness.Worker();

        var claimed = await fetcher.ClaimAsync(4, CancellationToken.None);

        // Same priority and run_at fall back to id order, which within one millisecond is not insertion order.
        Assert.Equal(high.Order(), claimed.Take(2).Select(j => j.Id).Order());
        Assert.All(claimed.Skip(2), j => Assert.Contains(j.Id, low));
        Assert.All(claimed, j => Assert.Equal(1, j.Attempt));
        var job = await harness.Store.GetAsync(claimed[0].Id, CancellationToken.None);
        Assert.Equal(JobState.Running, job!.State);
        Assert.Equal(identity.Name, await _database.ScalarAsync<string>("SELECT lease_owner FROM jobs WHERE id = $1", claimed[0].Id));
        Assert.True(await _database.ScalarAsync<bool>("SELECT lease_expires_at > now() + interval '20 seconds' FROM jobs WHERE id = $1", claimed[0].Id));
    }

    [Fact]
    public async Task Concurrent_claimers_never_get_the_same_job()
    {
        var harness = new QueueHarness(_database, new WorkerOptions { Queues = ["claim-race"] });
        var ids = await harness.Store.InsertAsync(600, _ => TestJobs.New(queue: "claim-race"));
        var seen = new ConcurrentBag<Guid>();

        await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            var (fetcher, _, _) = harness.Worker();
            while (await fetcher.ClaimAsync(25, CancellationToken.None) is { Count: > 0 } batch)
            {
                batch.ForEach(j => seen.Add(j.Id));
            }
        }));

        Assert.Equal(600, seen.Count);
        Assert.Equal(ids.Order(), seen.Order());
    }

    [Fact]
    public async Task Claim_only_reads_its_own_queues()
    {
        var harness = new QueueHarness(_database, new WorkerOptions { Queues = ["claim-mine"] });
        await harness.Store.InsertAsync(2, _ => TestJobs.New(queue: "claim-other"));
        var mine = await harness.Store.InsertAsync(1, _ => TestJobs.New(queue: "claim-mine"));

        var claimed = await harness.Worker().Fetcher.ClaimAsync(10, CancellationToken.None);

        Assert.Equal(mine, claimed.Select(j => j.Id));
    }
}

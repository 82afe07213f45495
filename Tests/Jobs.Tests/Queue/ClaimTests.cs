using System.Collections.Concurrent;
using Jobs.Model;
using Jobs.Storage;
using Jobs.Tests.Infrastructure;
using Npgsql;
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

    [Fact]
    public async Task A_claim_told_of_an_insert_in_flight_waits_for_its_commit_and_is_stamped_after_it()
    {
        var harness = new QueueHarness(_database, new WorkerOptions { Queues = ["claim-handshake"] });
        var commitLock = Random.Shared.Next();
        var job = TestJobs.New(queue: "claim-handshake");
        await using var inserter = await _database.DataSource.OpenConnectionAsync();
        await using var transaction = await inserter.BeginTransactionAsync();
        await ExecuteAsync(inserter, JobsSql.HoldCommitLock, commitLock);
        await ExecuteAsync(inserter, "INSERT INTO jobs (id, state, type, queue, priority, max_attempts, run_at, input, owner) VALUES ($1, 'queued', 'echo', 'claim-handshake', 5, 3, now(), '{}', 'test')", job.Id);

        var claim = harness.Worker().Fetcher.ClaimAsync(1, commitLock, CancellationToken.None);
        await _database.WaitUntilWaitingForLockAsync("advisory");
        Assert.False(claim.IsCompleted);
        var committing = await ScalarAsync<DateTime>(inserter, "SELECT clock_timestamp()");
        await transaction.CommitAsync();

        var claimed = Assert.Single(await claim);
        Assert.Equal(job.Id, claimed.Id);
        // The claim's now() is read in its own transaction, after the wait: started_at never predates the commit.
        Assert.True(claimed.StartedAt.UtcDateTime >= committing, $"started_at {claimed.StartedAt:O} is before the commit at {committing:O}");
    }

    [Fact]
    public async Task A_claim_told_of_an_insert_that_already_committed_takes_it_at_once()
    {
        var harness = new QueueHarness(_database, new WorkerOptions { Queues = ["claim-late-news"] });
        var ids = await harness.Store.InsertAsync(1, _ => TestJobs.New(queue: "claim-late-news"));

        var claimed = await harness.Worker().Fetcher.ClaimAsync(1, Random.Shared.Next(), CancellationToken.None);

        Assert.Equal(ids, claimed.Select(j => j.Id));
    }

    [Fact]
    public async Task The_claims_asynchronous_commit_stays_inside_its_transaction()
    {
        // One connection, and no session reset on return (as the workers run): a setting that outlived the claim
        // would make the next completion on this connection skip its flush too.
        await using var dataSource = _database.CreateServiceDataSource(c => c.MaxPoolSize = 1);
        var options = Microsoft.Extensions.Options.Options.Create(new WorkerOptions { Queues = ["claim-async"] });
        await new QueueHarness(_database).Store.InsertAsync(1, _ => TestJobs.New(queue: "claim-async"));

        var claimed = await new JobFetcher(dataSource, new WorkerIdentity(), options).ClaimAsync(1, CancellationToken.None);

        Assert.Single(claimed);
        await using var show = dataSource.CreateCommand("SHOW synchronous_commit");
        Assert.Equal("on", (string?)await show.ExecuteScalarAsync());
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params object[] args)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        args.ToList().ForEach(a => command.Parameters.Add(new() { Value = a }));
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}

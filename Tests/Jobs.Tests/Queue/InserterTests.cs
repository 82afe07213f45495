using System.Threading.Channels;
using Aspire.Hosting.Testing;
using Jobs.Model;
using Jobs.Signals;
using Jobs.Storage;
using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using StackExchange.Redis;
using Worker.Processing;

namespace Jobs.Tests.Queue;

/// <summary>
/// Group commit of single enqueues. A test holds the first insert on a row lock (an uncommitted row with the same
/// idempotency key), so every request made meanwhile is written by the next statement: one group, deterministically.
/// </summary>
[Collection(SharedAppCollection.Name)]
public sealed class InserterTests(JobsApp app) : IAsyncLifetime
{
    private readonly TestDatabase _database = new(app);

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Requests_made_during_an_insert_share_the_next_statement_and_each_gets_its_own_job()
    {
        var (inserter, release) = await HeldInserterAsync();
        var jobs = Enumerable.Range(0, 20).Select(i => TestJobs.New(input: $$"""{"i":{{i}}}""")).ToList();
        var inserts = jobs.ConvertAll(j => inserter.InsertAsync(j, CancellationToken.None));

        await release();
        var results = await Task.WhenAll(inserts);

        Assert.All(results, r => Assert.True(r.Created));
        Assert.Equal(jobs.Select(j => j.Id), results.Select(r => r.Job.Id));
        Assert.Equal(Enumerable.Range(0, 20), results.Select(r => r.Job.Input.GetProperty("i").GetInt32()));
        Assert.All(results, r => Assert.Equal(JobState.Queued, r.Job.State));
        var ids = jobs.ConvertAll(j => j.Id).ToArray();
        Assert.Equal(20L, await _database.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE id = ANY($1) AND input ? 'i'", ids));
        // now() is the transaction's start: one created_at for all twenty means one statement and one commit.
        Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(DISTINCT created_at) FROM jobs WHERE id = ANY($1)", ids));
    }

    [Fact]
    public async Task Idempotency_keys_hold_row_by_row_inside_a_group_and_against_earlier_rows()
    {
        var harness = new QueueHarness(_database);
        var inserter = new JobInserter(harness.Store, harness.Signals, NullLogger<JobInserter>.Instance);
        var earlier = await inserter.InsertAsync(Keyed("earlier", 9), CancellationToken.None);
        var (held, release) = await HeldInserterAsync(inserter);

        var first = held.InsertAsync(Keyed("k", 1), CancellationToken.None);
        var sameBody = held.InsertAsync(Keyed("k", 1), CancellationToken.None);
        var otherBody = held.InsertAsync(Keyed("k", 2), CancellationToken.None);
        var otherKey = held.InsertAsync(Keyed("k2", 1), CancellationToken.None);
        var repeatOfEarlier = held.InsertAsync(Keyed("earlier", 9), CancellationToken.None);
        await release();

        Assert.True((await first).Created);
        Assert.False((await sameBody).Created);
        Assert.Equal((await first).Job.Id, (await sameBody).Job.Id);
        Assert.Equal(Hash(1), (await sameBody).ExistingHash);
        // The Api answers 409 when the stored hash differs from the request's.
        Assert.False((await otherBody).Created);
        Assert.Equal((await first).Job.Id, (await otherBody).Job.Id);
        Assert.Equal(Hash(1), (await otherBody).ExistingHash);
        Assert.True((await otherKey).Created);
        Assert.False((await repeatOfEarlier).Created);
        Assert.Equal(earlier.Job.Id, (await repeatOfEarlier).Job.Id);
        Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE idempotency_key = 'k'"));
        Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE idempotency_key = 'earlier'"));
    }

    [Fact]
    public async Task A_row_the_database_refuses_fails_only_its_own_request()
    {
        var (inserter, release) = await HeldInserterAsync();
        var good = Enumerable.Range(0, 3).Select(_ => TestJobs.New()).ToList();
        // jsonb cannot store U+0000; the whole statement fails, then each row is tried on its own.
        var bad = TestJobs.New(input: """{"text":"a\u0000b"}""");
        var inserts = good.ConvertAll(j => inserter.InsertAsync(j, CancellationToken.None));
        var refused = inserter.InsertAsync(bad, CancellationToken.None);
        await release();

        Assert.All(await Task.WhenAll(inserts), r => Assert.True(r.Created));
        await Assert.ThrowsAsync<PostgresException>(() => refused);
        Assert.Equal(3L, await _database.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE id = ANY($1)", good.Select(j => j.Id).ToArray()));
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE id = $1", bad.Id));
    }

    [Fact]
    public async Task An_idle_inserter_announces_its_insert_in_flight_and_a_claim_told_of_it_starts_as_it_commits()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync((await app.App.GetConnectionStringAsync("cache"))!);
        var signals = new JobSignals(redis, NullLogger<JobSignals>.Instance);
        var wakes = Channel.CreateUnbounded<WakeUp>();
        await signals.SubscribeAsync(JobSignals.Wake, payload =>
        {
            if (WakeUp.FromPayload(payload) is { Queue: "announced" } wake)
            {
                wakes.Writer.TryWrite(wake);
            }
        });
        var harness = new QueueHarness(_database, new WorkerOptions { Queues = ["announced"] });
        var inserter = new JobInserter(harness.Store, signals, NullLogger<JobInserter>.Instance);
        // The insert is held in flight by an uncommitted row with the same idempotency key; rolled back below.
        var job = TestJobs.New(queue: "announced") with { IdempotencyKey = "announced-" + Guid.NewGuid().ToString("N"), RequestHash = Hash(1) };
        var (blocker, transaction) = await BlockIdempotencyKeyAsync(job);
        await using var _ = blocker;

        var inserting = inserter.InsertAsync(job, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var announced = await wakes.Reader.ReadAsync(timeout.Token);
        Assert.NotNull(announced.CommitLock);
        // The insert waits on the test's row, so its lock statement, sent with it, has run.
        await _database.WaitUntilWaitingForLockAsync("transactionid");
        var claim = harness.Worker().Fetcher.ClaimAsync(1, announced.CommitLock, CancellationToken.None);
        await _database.WaitUntilWaitingForLockAsync("advisory");
        Assert.False(inserting.IsCompleted);
        Assert.False(claim.IsCompleted);
        await transaction.RollbackAsync();

        Assert.True((await inserting).Created);
        Assert.Equal(job.Id, Assert.Single(await claim).Id);
        // The usual wake-up still follows the commit, for a worker the announcement reached too early.
        Assert.Equal(new WakeUp("announced"), await wakes.Reader.ReadAsync(timeout.Token));
    }

    [Fact]
    public async Task An_announced_insert_commits_before_its_flush_and_returns_only_once_a_later_commit_has_flushed_it()
    {
        // pg_walinspect reads only WAL that is flushed: what it lists up to the flush position read right after the
        // call had reached the disk when the call returned.
        await _database.ExecuteAsync("CREATE EXTENSION IF NOT EXISTS pg_walinspect");
        var start = await _database.ScalarAsync<string>("SELECT pg_current_wal_insert_lsn()::text");
        var job = TestJobs.New();

        var result = Assert.Single(await new QueueHarness(_database).Store.InsertGroupAsync([job], _ => { }, CancellationToken.None));

        var flushed = await _database.ScalarAsync<string>("SELECT pg_current_wal_flush_lsn()::text");
        Assert.True(result.Created);
        var insertXid = await _database.ScalarAsync<string>("SELECT xmin::text FROM jobs WHERE id = $1", job.Id);
        var records = new List<(string Xid, string Kind)>();
        await using (var command = _database.DataSource.CreateCommand(
            "SELECT xid::text, resource_manager || '/' || record_type || ' ' || description FROM pg_get_wal_records_info($1::pg_lsn, $2::pg_lsn) ORDER BY start_lsn"))
        {
            command.Parameters.Add(new() { Value = start });
            command.Parameters.Add(new() { Value = flushed });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                records.Add((reader.GetString(0), reader.GetString(1)));
            }
        }
        // The insert's commit, then a transaction of its own (a logical message) whose synchronous commit flushed both.
        static bool IsCommitOf(string xid, (string Xid, string Kind) record) =>
            record.Xid == xid && record.Kind.StartsWith("Transaction/COMMIT", StringComparison.Ordinal);
        var insertCommit = records.FindIndex(r => IsCommitOf(insertXid, r));
        Assert.True(insertCommit >= 0, "the insert's commit is not in the flushed WAL");
        var message = records.FindIndex(insertCommit, r => r.Kind.StartsWith("LogicalMessage/MESSAGE", StringComparison.Ordinal) && r.Kind.Contains("jobs.flush", StringComparison.Ordinal));
        Assert.True(message > insertCommit, "no flush transaction after the insert's commit");
        Assert.NotEqual("0", records[message].Xid);
        Assert.Contains(records.Skip(message + 1), r => IsCommitOf(records[message].Xid, r));
    }

    [Fact]
    public async Task An_announced_inserts_asynchronous_commit_stays_inside_its_transaction()
    {
        // One connection, and no session reset on return (as the Api runs): a setting that outlived the insert would
        // let the next request's insert on this connection be acknowledged before it is durable.
        await using var dataSource = _database.CreateServiceDataSource(c => c.MaxPoolSize = 1);

        Assert.True(Assert.Single(await new JobStore(dataSource).InsertGroupAsync([TestJobs.New()], _ => { }, CancellationToken.None)).Created);

        await using var show = dataSource.CreateCommand("SHOW synchronous_commit");
        Assert.Equal("on", (string?)await show.ExecuteScalarAsync());
    }

    [Fact]
    public async Task When_the_database_refuses_the_flush_the_committed_rows_fail_the_call_as_unconfirmed_and_later_inserts_commit_synchronously()
    {
        // This database's own function, found before pg_catalog's by connections that search public first: the flush
        // fails as it would for a role that may not emit WAL messages.
        await _database.ExecuteAsync("""
            CREATE FUNCTION public.pg_logical_emit_message(boolean, text, text) RETURNS pg_lsn LANGUAGE plpgsql AS
            $$ BEGIN RAISE EXCEPTION 'permission denied for function pg_logical_emit_message' USING ERRCODE = 'insufficient_privilege'; END $$
            """);
        await using var dataSource = _database.CreateServiceDataSource(c => c.SearchPath = "public, pg_catalog");
        var store = new JobStore(dataSource);
        var jobs = new[] { TestJobs.New(), TestJobs.New() };

        // Not a PostgresException: the inserter takes one for a statement that wrote nothing and would insert the
        // rows again, one by one.
        var refused = await Assert.ThrowsAsync<NpgsqlException>(() => store.InsertGroupAsync(jobs, _ => { }, CancellationToken.None));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, Assert.IsType<PostgresException>(refused.InnerException).SqlState);
        Assert.Equal(2L, await _database.ScalarAsync<long>("SELECT count(*) FROM jobs WHERE id = ANY($1)", jobs.Select(j => j.Id).ToArray()));

        Assert.True(Assert.Single(await store.InsertGroupAsync([TestJobs.New()], _ => { }, CancellationToken.None)).Created);
    }

    /// <summary>
    /// An inserter whose current statement waits on an uncommitted row holding the same idempotency key; the returned
    /// function rolls that row back, which lets the statement finish and the requests made meanwhile go as one group.
    /// </summary>
    private async Task<(JobInserter Inserter, Func<Task> Release)> HeldInserterAsync(JobInserter? inserter = null)
    {
        var harness = new QueueHarness(_database);
        inserter ??= new JobInserter(harness.Store, harness.Signals, NullLogger<JobInserter>.Instance);
        var held = Keyed("held-" + Guid.NewGuid().ToString("N"), 0);
        var (blocker, transaction) = await BlockIdempotencyKeyAsync(held);
        var holding = inserter.InsertAsync(held, CancellationToken.None);
        // The inserter's statement now waits for the test's row lock: it is in flight, not queued.
        await _database.WaitUntilWaitingForLockAsync();
        return (inserter, ReleaseAsync);

        async Task ReleaseAsync()
        {
            await transaction.RollbackAsync();
            await blocker.DisposeAsync();
            Assert.True((await holding).Created);
        }
    }

    /// <summary>
    /// An uncommitted row (another queue) with <paramref name="job"/>'s owner and idempotency key: an insert of the job
    /// waits on it until the returned transaction ends.
    /// </summary>
    private async Task<(NpgsqlConnection Blocker, NpgsqlTransaction Transaction)> BlockIdempotencyKeyAsync(NewJob job)
    {
        var blocker = await _database.DataSource.OpenConnectionAsync();
        var transaction = await blocker.BeginTransactionAsync();
        await using var insert = new NpgsqlCommand("INSERT INTO jobs (id, state, type, queue, priority, max_attempts, run_at, input, owner, idempotency_key) VALUES ($1, 'queued', 'echo', 'elsewhere', 5, 3, now(), '{}', $2, $3)", blocker, transaction);
        insert.Parameters.Add(new() { Value = Guid.CreateVersion7() });
        insert.Parameters.Add(new() { Value = job.Owner });
        insert.Parameters.Add(new() { Value = job.IdempotencyKey! });
        await insert.ExecuteNonQueryAsync();
        return (blocker, transaction);
    }

    private static NewJob Keyed(string key, int body) =>
        TestJobs.New(input: $$"""{"body":{{body}}}""") with { IdempotencyKey = key, RequestHash = Hash(body) };

    private static byte[] Hash(int body) => [(byte)body, 1, 2, 3];
}

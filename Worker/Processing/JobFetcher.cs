using System.Text.Json;
using Jobs.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Worker.Processing;

/// <summary>The one place jobs are claimed: a single statement locks, leases and returns up to a batch of due jobs.</summary>
public sealed class JobFetcher(NpgsqlDataSource dataSource, WorkerIdentity identity, IOptions<WorkerOptions> options)
{
    private int _nextQueue;

    /// <summary>Claims up to <paramref name="limit"/> jobs, visiting the queues round-robin so none starves.</summary>
    public Task<List<ClaimedJob>> ClaimAsync(int limit, CancellationToken cancellationToken) => ClaimAsync(limit, null, cancellationToken);

    /// <summary>
    /// Claims as above; with <paramref name="afterCommit"/> (an announced insert's lock, <see cref="JobsSql.AwaitCommitLock"/>)
    /// the claim first waits, inside Postgres and in the same round trip, for that insert to commit.
    /// </summary>
    public async Task<List<ClaimedJob>> ClaimAsync(int limit, int? afterCommit, CancellationToken cancellationToken)
    {
        var queues = options.Value.Queues;
        var jobs = new List<ClaimedJob>(limit);
        var start = _nextQueue++;
        for (var i = 0; i < queues.Length && jobs.Count < limit; i++)
        {
            await ClaimFromAsync(queues[(start + i) % queues.Length], limit - jobs.Count, i == 0 ? afterCommit : null, jobs, cancellationToken);
        }
        return jobs;
    }

    private async Task ClaimFromAsync(string queue, int limit, int? afterCommit, List<ClaimedJob> jobs, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        if (afterCommit is { } key)
        {
            // Its own transaction (the error barrier is a Sync): the claim after it starts, and reads now(), only once
            // the insert has committed, so it sees the new rows and stamps started_at after the wait, not before.
            batch.BatchCommands.Add(new(JobsSql.AwaitCommitLock) { Parameters = { new() { Value = key } }, AppendErrorBarrier = true });
        }
        batch.BatchCommands.Add(new(JobsSql.CommitWithoutFlush));
        batch.BatchCommands.Add(new(JobsSql.Claim)
        {
            Parameters =
            {
                new() { Value = queue },
                new() { Value = limit },
                new() { Value = identity.Name },
                new() { Value = (long)options.Value.LeaseDuration.TotalMilliseconds },
            },
        });
        // Prepared once per physical connection (Npgsql keeps it across pool returns): Postgres stops parsing and
        // planning the claim, the statement every worker runs most. Its shape is safe under a generic plan (see Claim).
        await batch.PrepareAsync(cancellationToken);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        // The jobs are the last command's rows (the wait and the setting answer first).
        for (var i = 1; i < batch.BatchCommands.Count; i++)
        {
            await reader.NextResultAsync(cancellationToken);
        }
        while (await reader.ReadAsync(cancellationToken))
        {
            using var input = JsonDocument.Parse(reader.GetString(5));
            jobs.Add(new ClaimedJob(
                Id: reader.GetGuid(0),
                Type: reader.GetString(1),
                Queue: reader.GetString(2),
                Attempt: reader.GetInt16(3),
                MaxAttempts: reader.GetInt16(4),
                Input: input.RootElement.Clone(),
                RunAt: reader.GetFieldValue<DateTimeOffset>(6),
                StartedAt: reader.GetFieldValue<DateTimeOffset>(7),
                TraceParent: reader.IsDBNull(8) ? null : reader.GetString(8),
                TraceState: reader.IsDBNull(9) ? null : reader.GetString(9),
                RequestId: reader.IsDBNull(10) ? null : reader.GetString(10),
                CancelRequested: reader.GetBoolean(11)));
        }
    }
}

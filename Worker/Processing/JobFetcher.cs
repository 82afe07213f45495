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
    public async Task<List<ClaimedJob>> ClaimAsync(int limit, CancellationToken cancellationToken)
    {
        var queues = options.Value.Queues;
        var jobs = new List<ClaimedJob>(limit);
        var start = _nextQueue++;
        for (var i = 0; i < queues.Length && jobs.Count < limit; i++)
        {
            await ClaimFromAsync(queues[(start + i) % queues.Length], limit - jobs.Count, jobs, cancellationToken);
        }
        return jobs;
    }

    private async Task ClaimFromAsync(string queue, int limit, List<ClaimedJob> jobs, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(JobsSql.Claim, connection);
        command.Parameters.Add(new() { Value = queue });
        command.Parameters.Add(new() { Value = limit });
        command.Parameters.Add(new() { Value = identity.Name });
        command.Parameters.Add(new() { Value = (long)options.Value.LeaseDuration.TotalMilliseconds });
        // Prepared once per physical connection (Npgsql keeps it across pool returns): Postgres stops parsing and
        // planning the claim, the statement every worker runs most. Its shape is safe under a generic plan (see Claim).
        await command.PrepareAsync(cancellationToken);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
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

using System.Text.Json;
using Jobs.Model;
using Npgsql;
using NpgsqlTypes;

namespace Jobs.Storage;

/// <summary>What the Api does with jobs: insert, read, list, cancel, delete.</summary>
public sealed class JobStore(NpgsqlDataSource dataSource)
{
    // Cleared when the database refuses the flush statement (a role that may not emit WAL messages, a server without
    // the function): from then on announced inserts commit synchronously, as all others do.
    private volatile bool _announcedCommitsSkipFlush = true;

    /// <summary>
    /// Inserts the jobs with one statement (one commit), or for a job whose idempotency key was used before returns the
    /// existing job with its request hash. Results are in the order of <paramref name="jobs"/>. With
    /// <paramref name="announce"/> the transaction first takes a fresh commit lock (<see cref="JobsSql.HoldCommitLock"/>,
    /// same round trip) and holds it until the commit; <paramref name="announce"/> gets its key once the statements
    /// are sent. That commit does not wait for its WAL flush, so the lock — and the claim queued behind it — goes
    /// free as soon as the rows are visible; a second transaction in the same round trip
    /// (<see cref="JobsSql.FlushEarlierCommits"/>) waits for the flush, and only then does this method return, so
    /// nothing is acknowledged before it is durable. (A job may start before: should the database crash in between,
    /// the client gets an error, not a 202, and the job runs again when resubmitted — at least once, as ever.) Should
    /// the flush fail, the call fails with an <see cref="NpgsqlException"/> that is not a <see cref="PostgresException"/>
    /// (the rows are committed); should the database refuse the flush statement itself, announced inserts commit
    /// synchronously from then on.
    /// </summary>
    public async Task<InsertResult[]> InsertGroupAsync(IReadOnlyList<NewJob> jobs, Action<int>? announce, CancellationToken cancellationToken)
    {
        var results = new InsertResult?[jobs.Count];
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var batch = new NpgsqlBatch(connection))
        {
            var commitLock = announce is null ? 0 : Random.Shared.Next();
            var flushAfter = announce is not null && _announcedCommitsSkipFlush;
            if (announce is not null)
            {
                batch.BatchCommands.Add(new(JobsSql.HoldCommitLock) { Parameters = { new() { Value = commitLock } } });
            }
            if (flushAfter)
            {
                batch.BatchCommands.Add(new(JobsSql.CommitWithoutFlush));
            }
            // Behind an error barrier (a Sync) when flushed after: the insert's transaction ends there, before the flush's.
            var insert = new NpgsqlBatchCommand(JobsSql.InsertGroup) { AppendErrorBarrier = flushAfter };
            AddRowArrays(insert.Parameters, jobs);
            insert.Parameters.Add(new() { Value = jobs.Select(j => j.Owner).ToArray() });
            insert.Parameters.Add(TextArray(jobs.Select(j => j.IdempotencyKey)));
            insert.Parameters.Add(new() { Value = jobs.Select(j => j.RequestHash).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            insert.Parameters.Add(TextArray(jobs.Select(j => j.TraceParent)));
            insert.Parameters.Add(TextArray(jobs.Select(j => j.TraceState)));
            insert.Parameters.Add(TextArray(jobs.Select(j => j.RequestId)));
            batch.BatchCommands.Add(insert);
            if (flushAfter)
            {
                batch.BatchCommands.Add(new(JobsSql.FlushEarlierCommits));
            }
            // The statement every POST runs: prepared once per physical connection (Npgsql keeps it across pool
            // returns), so Postgres skips parsing and planning it on every group.
            await batch.PrepareAsync(cancellationToken);
            // Npgsql writes the batch before the call first yields (it then waits for the reply).
            var executing = batch.ExecuteReaderAsync(cancellationToken);
            announce?.Invoke(commitLock);
            await using var reader = await executing;
            // The rows are the insert's (the lock and the setting, when sent, answer first).
            for (var skip = batch.BatchCommands.IndexOf(insert); skip > 0; skip--)
            {
                await reader.NextResultAsync(cancellationToken);
            }
            var positions = jobs.Count == 1 ? null : jobs.Select((j, i) => (j.Id, i)).ToDictionary();
            while (await reader.ReadAsync(cancellationToken))
            {
                var i = positions is null ? 0 : positions[reader.GetGuid(0)];
                results[i] = new(Inserted(jobs[i], reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3)), true, null);
            }
            if (flushAfter)
            {
                await ReadFlushAsync(reader, cancellationToken);
            }
        }

        for (var i = 0; i < jobs.Count; i++)
        {
            results[i] ??= await FindByIdempotencyKeyAsync(connection, jobs[i], cancellationToken)
                // The conflicting row was deleted between the two statements; the key is free again.
                ?? (await InsertGroupAsync([jobs[i]], null, cancellationToken))[0];
        }
        return results!;
    }

    /// <summary>
    /// The flush's answer, read so that its failure is the call's failure — but not as a <see cref="PostgresException"/>:
    /// the rows are committed by then, and callers take one for a statement that wrote nothing and try the rows again.
    /// </summary>
    private async Task ReadFlushAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        try
        {
            await reader.NextResultAsync(cancellationToken);
        }
        catch (PostgresException ex)
        {
            if (ex.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.UndefinedFunction)
            {
                _announcedCommitsSkipFlush = false;
            }
            throw new NpgsqlException("The jobs were committed, but the statement that waits for their WAL flush failed, so their durability is not confirmed.", ex);
        }
    }

    private static async Task<InsertResult?> FindByIdempotencyKeyAsync(NpgsqlConnection connection, NewJob job, CancellationToken cancellationToken)
    {
        await using var find = new NpgsqlCommand(JobsSql.FindByIdempotencyKey, connection);
        find.Parameters.Add(new() { Value = job.Owner });
        find.Parameters.Add(new() { Value = job.IdempotencyKey! });
        await using var reader = await find.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new(ReadJob(reader), false, reader.IsDBNull(ColumnCount) ? null : reader.GetFieldValue<byte[]>(ColumnCount))
            : null;
    }

    /// <summary>Inserts every job in one round trip and one statement.</summary>
    public async Task InsertManyAsync(IReadOnlyList<NewJob> jobs, CancellationToken cancellationToken)
    {
        if (jobs.Count == 0)
        {
            return;
        }
        var first = jobs[0];
        await using var command = dataSource.CreateCommand(JobsSql.InsertMany);
        AddRowArrays(command.Parameters, jobs);
        command.Parameters.Add(new() { Value = first.Owner });
        command.Parameters.Add(Nullable(first.TraceParent, NpgsqlDbType.Text));
        command.Parameters.Add(Nullable(first.TraceState, NpgsqlDbType.Text));
        command.Parameters.Add(Nullable(first.RequestId, NpgsqlDbType.Text));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<JobRecord?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(JobsSql.Get);
        command.Parameters.Add(new() { Value = id });
        return await ReadSingleAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<JobRecord>> ListAsync(JobQuery query, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(JobsSql.List);
        command.Parameters.Add(new() { Value = (object?)query.After ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new() { Value = (object?)query.States?.ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(Nullable(query.Type, NpgsqlDbType.Text));
        command.Parameters.Add(Nullable(query.Queue, NpgsqlDbType.Text));
        command.Parameters.Add(new() { Value = (object?)query.CreatedFrom ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = (object?)query.CreatedTo ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = query.Limit });
        var jobs = new List<JobRecord>(query.Limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add(ReadJob(reader));
        }
        return jobs;
    }

    /// <summary>Returns the job after the request, or null with its current state (null when it does not exist).</summary>
    public async Task<(JobRecord? Job, string? State)> CancelAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(JobsSql.Cancel);
        command.Parameters.Add(new() { Value = id });
        var job = await ReadSingleAsync(command, cancellationToken);
        return job is not null ? (job, job.State) : (null, await GetStateAsync(id, cancellationToken));
    }

    /// <summary>Deletes a finished job. Returns null when deleted, else the state that prevented it (null state: not found).</summary>
    public async Task<(bool Deleted, string? State)> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(JobsSql.Delete);
        command.Parameters.Add(new() { Value = id });
        return await command.ExecuteScalarAsync(cancellationToken) is not null
            ? (true, null)
            : (false, await GetStateAsync(id, cancellationToken));
    }

    public async Task<IReadOnlyList<JobStep>> GetStepsAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(JobStepsSql.List);
        command.Parameters.Add(new() { Value = id });
        var steps = new List<JobStep>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            steps.Add(new JobStep(
                reader.GetInt16(0), reader.GetInt16(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : reader.GetDouble(6),
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        }
        return steps;
    }

    private async Task<string?> GetStateAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(JobsSql.Exists);
        command.Parameters.Add(new() { Value = id });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static async Task<JobRecord?> ReadSingleAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadJob(reader) : null;
    }

    /// <summary>The row just inserted, from what was sent and what the database decided (no re-read of the input).</summary>
    private static JobRecord Inserted(NewJob job, string state, DateTimeOffset runAt, DateTimeOffset createdAt) => new(
        job.Id, job.Type, job.Queue, job.Priority, state, Attempt: 0, job.MaxAttempts, runAt, job.Input, Result: null, Error: null,
        CancelRequested: false, job.IdempotencyKey, createdAt, StartedAt: null, FinishedAt: null, job.RequestId);

    /// <summary>The number of columns in <see cref="JobsSql.Columns"/>.</summary>
    private const int ColumnCount = 18;

    private static JobRecord ReadJob(NpgsqlDataReader reader) => new(
        Id: reader.GetGuid(0),
        Type: reader.GetString(1),
        Queue: reader.GetString(2),
        Priority: reader.GetInt16(3),
        State: reader.GetString(4),
        Attempt: reader.GetInt16(5),
        MaxAttempts: reader.GetInt16(6),
        RunAt: reader.GetFieldValue<DateTimeOffset>(7),
        Input: ParseJson(reader.GetString(8)),
        Result: reader.IsDBNull(9) ? null : ParseJson(reader.GetString(9)),
        Error: reader.IsDBNull(10) ? null : new JobError(reader.GetString(10), reader.IsDBNull(11) ? "error" : reader.GetString(11)),
        CancelRequested: reader.GetBoolean(12),
        IdempotencyKey: reader.IsDBNull(13) ? null : reader.GetString(13),
        CreatedAt: reader.GetFieldValue<DateTimeOffset>(14),
        StartedAt: reader.IsDBNull(15) ? null : reader.GetFieldValue<DateTimeOffset>(15),
        FinishedAt: reader.IsDBNull(16) ? null : reader.GetFieldValue<DateTimeOffset>(16),
        RequestId: reader.IsDBNull(17) ? null : reader.GetString(17));

    private static JsonElement ParseJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>$1–$7 of <see cref="JobsSql.InsertGroup"/> and <see cref="JobsSql.InsertMany"/>: the per-row columns as parallel arrays.</summary>
    private static void AddRowArrays(NpgsqlParameterCollection parameters, IReadOnlyList<NewJob> jobs)
    {
        parameters.Add(new() { Value = jobs.Select(j => j.Id).ToArray() });
        parameters.Add(new() { Value = jobs.Select(j => j.Type).ToArray() });
        parameters.Add(new() { Value = jobs.Select(j => j.Queue).ToArray() });
        parameters.Add(new() { Value = jobs.Select(j => (short)j.Priority).ToArray() });
        parameters.Add(new() { Value = jobs.Select(j => (short)j.MaxAttempts).ToArray() });
        parameters.Add(new() { Value = jobs.Select(j => j.RunAt).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        parameters.Add(new() { Value = jobs.Select(j => j.Input.GetRawText()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
    }

    private static NpgsqlParameter Nullable(object? value, NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };

    private static NpgsqlParameter TextArray(IEnumerable<string?> values) => new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
}

/// <summary>The outcome of one enqueue: the stored job, whether this call created it, and else the request hash it was created with.</summary>
public sealed record InsertResult(JobRecord Job, bool Created, byte[]? ExistingHash);

/// <summary>A page request for <see cref="JobStore.ListAsync"/>; null filters match everything.</summary>
public sealed record JobQuery(
    Guid? After,
    IReadOnlyList<string>? States,
    string? Type,
    string? Queue,
    DateTimeOffset? CreatedFrom,
    DateTimeOffset? CreatedTo,
    int Limit);

namespace Jobs.Storage;

/// <summary>Every statement on the <c>jobs</c> table, by name. Times come from the database clock so replicas agree.</summary>
public static class JobsSql
{
    public const string Columns = """
        id, type, queue, priority, state, attempt, max_attempts, run_at, input, result, error_message, error_type,
        cancel_requested_at IS NOT NULL, idempotency_key, created_at, started_at, finished_at, request_id
        """;

    /// <summary>
    /// Single enqueues, grouped (<see cref="JobInserter"/>): one row per request, each with its own owner, idempotency
    /// key, request hash and trace. Rows go in request order, so of two requests with one key in a group the first
    /// wins and the second conflicts (DO NOTHING also skips rows that conflict with one inserted earlier by the same
    /// statement). Returns only the rows inserted, with what the database decided (state, due time, creation time).
    /// </summary>
    public const string InsertGroup = """
        INSERT INTO jobs (id, state, type, queue, priority, max_attempts, run_at, input, owner, idempotency_key,
                          request_hash, trace_parent, trace_state, request_id)
        SELECT n.id, CASE WHEN n.run_at > now() THEN 'scheduled' ELSE 'queued' END, n.type, n.queue, n.priority,
               n.max_attempts, greatest(coalesce(n.run_at, now()), now()), n.input, n.owner, n.idempotency_key,
               n.request_hash, n.trace_parent, n.trace_state, n.request_id
        FROM unnest($1::uuid[], $2::text[], $3::text[], $4::smallint[], $5::smallint[], $6::timestamptz[], $7::jsonb[],
                    $8::text[], $9::text[], $10::bytea[], $11::text[], $12::text[], $13::text[])
             WITH ORDINALITY AS n(id, type, queue, priority, max_attempts, run_at, input, owner, idempotency_key,
                                  request_hash, trace_parent, trace_state, request_id, position)
        ORDER BY n.position
        ON CONFLICT (owner, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
        RETURNING id, state, run_at, created_at
        """;

    /// <summary>
    /// The enqueue's side of the commit handshake: an idle inserter takes this lock as its insert's transaction begins
    /// and announces the insert over Redis while the statement is in flight; Postgres releases the lock when the insert
    /// commits. Two-key form, class "jobs": apart from the bigint keys of the migrations and the maintenance leader.
    /// </summary>
    public const string HoldCommitLock = "SELECT pg_advisory_xact_lock(1785684595, $1)";

    /// <summary>
    /// The claim's side: a worker told of an insert in flight queues for its lock in front of the claim, so the claim
    /// starts inside Postgres the moment the insert commits, instead of once the commit's reply has gone Api → Redis →
    /// worker. Returns at once when the insert already committed (or never took the lock).
    /// </summary>
    public const string AwaitCommitLock = "SELECT pg_advisory_xact_lock_shared(1785684595, $1)";

    /// <summary>A batch in one statement: parallel arrays unnested into rows.</summary>
    public const string InsertMany = """
        INSERT INTO jobs (id, state, type, queue, priority, max_attempts, run_at, input, owner, trace_parent, trace_state, request_id)
        SELECT n.id, CASE WHEN n.run_at > now() THEN 'scheduled' ELSE 'queued' END, n.type, n.queue, n.priority, n.max_attempts,
               greatest(coalesce(n.run_at, now()), now()), n.input, $8, $9, $10, $11
        FROM unnest($1::uuid[], $2::text[], $3::text[], $4::smallint[], $5::smallint[], $6::timestamptz[], $7::jsonb[])
             AS n(id, type, queue, priority, max_attempts, run_at, input)
        """;

    public const string FindByIdempotencyKey = $"SELECT {Columns}, request_hash FROM jobs WHERE owner = $1 AND idempotency_key = $2";

    public const string Get = $"SELECT {Columns} FROM jobs WHERE id = $1";

    /// <summary>Keyset page, newest first; ids are UUIDv7 so id order is creation order. Null filters match everything.</summary>
    public const string List = $"""
        SELECT {Columns} FROM jobs
        WHERE ($1::uuid IS NULL OR id < $1)
          AND ($2::text[] IS NULL OR state = ANY($2))
          AND ($3::text IS NULL OR type = $3)
          AND ($4::text IS NULL OR queue = $4)
          AND ($5::timestamptz IS NULL OR created_at >= $5)
          AND ($6::timestamptz IS NULL OR created_at < $6)
        ORDER BY id DESC
        LIMIT $7
        """;

    /// <summary>Waiting jobs are cancelled at once; a running job is flagged so its worker cancels the handler.</summary>
    public const string Cancel = $"""
        UPDATE jobs SET
            state = CASE WHEN state = 'running' THEN state ELSE 'cancelled' END,
            finished_at = CASE WHEN state = 'running' THEN finished_at ELSE now() END,
            cancel_requested_at = coalesce(cancel_requested_at, now())
        WHERE id = $1 AND state IN ('queued', 'scheduled', 'failed', 'running')
        RETURNING {Columns}
        """;

    public const string Delete = "DELETE FROM jobs WHERE id = $1 AND state IN ('succeeded', 'dead', 'cancelled') RETURNING id";

    public const string Exists = "SELECT state FROM jobs WHERE id = $1";

    /// <summary>
    /// Sent in a transaction, before its statements: it commits without waiting for its WAL flush (0.1–0.2 ms here
    /// under load, 0.3–2 ms on an idle machine). Claims use it: losing a claim in a database crash is harmless — the
    /// job is queued again and runs again, at least once as after a worker crash, and the lost lease keeps the first
    /// run's completion from landing; a later synchronous commit (every completion) flushes the claim with it. The
    /// idle inserter uses it so that its commit lock is released before the flush, and then waits for the flush
    /// itself (<see cref="FlushEarlierCommits"/>) before the job is acknowledged.
    /// </summary>
    public const string CommitWithoutFlush = "SELECT set_config('synchronous_commit', 'off', true)";

    /// <summary>
    /// A transaction of its own that writes one WAL record (a transactional logical-decoding message, which any role
    /// may emit and nothing here decodes), so that it commits synchronously: its commit waits for the WAL to be flushed
    /// up to its record, and with it every earlier commit — including one made with <see cref="CommitWithoutFlush"/>
    /// just before on the same connection. (Taking a transaction id alone is not enough: Postgres commits a transaction
    /// that wrote no WAL without a flush.)
    /// </summary>
    public const string FlushEarlierCommits = "SELECT pg_logical_emit_message(true, 'jobs.flush', '')";

    /// <summary>
    /// River's claim: lock the first due rows of one queue in priority order, skipping rows other workers hold, and
    /// lease them. One queue per statement: <c>queue = ANY(...)</c> cannot walk the index in order (Postgres 15), so it
    /// would sort every queued row on each claim. The locked ids feed the update as an array (<c>id = ANY(ARRAY(...))</c>),
    /// which keeps the pkey lookup in every plan: as a CTE join, a generic plan (prepared statement) that does not
    /// know the limit is small hashes the whole table.
    /// </summary>
    public const string Claim = """
        WITH claimed AS (
            UPDATE jobs j SET
                state = 'running',
                attempt = j.attempt + 1,
                lease_owner = $3,
                lease_expires_at = now() + $4 * interval '1 millisecond',
                started_at = now()
            WHERE j.id = ANY (ARRAY(
                SELECT id FROM jobs
                WHERE state = 'queued' AND queue = $1 AND run_at <= now()
                ORDER BY priority, run_at, id
                LIMIT $2
                FOR UPDATE SKIP LOCKED))
            RETURNING j.id, j.type, j.queue, j.attempt, j.max_attempts, j.input, j.run_at, j.started_at,
                      j.trace_parent, j.trace_state, j.request_id, j.cancel_requested_at IS NOT NULL, j.priority)
        SELECT * FROM claimed ORDER BY priority, run_at, id
        """;

    /// <summary>
    /// The batch completer's one statement. Each row only lands while this worker still holds the lease for that
    /// attempt, so a job rescued and rerun elsewhere is never recorded twice. A release (state queued) gives the
    /// attempt back.
    /// </summary>
    public const string CompleteMany = """
        UPDATE jobs j SET
            state = c.state,
            attempt = CASE WHEN c.state = 'queued' THEN j.attempt - 1 ELSE j.attempt END,
            result = c.result,
            error_message = c.error_message,
            error_type = c.error_type,
            run_at = CASE WHEN c.state = 'failed' THEN now() + c.retry_ms * interval '1 millisecond' ELSE j.run_at END,
            finished_at = CASE WHEN c.state IN ('succeeded', 'dead', 'cancelled') THEN now() END,
            started_at = CASE WHEN c.state = 'queued' THEN NULL ELSE j.started_at END,
            lease_owner = NULL,
            lease_expires_at = NULL
        FROM unnest($1::uuid[], $2::smallint[], $3::text[], $4::jsonb[], $5::text[], $6::text[], $7::bigint[])
             AS c(id, attempt, state, result, error_message, error_type, retry_ms)
        WHERE j.id = c.id AND j.state = 'running' AND j.lease_owner = $8 AND j.attempt = c.attempt
        RETURNING j.id
        """;

    /// <summary>Extends this worker's leases; rows missing from the result were lost, flagged ones were cancelled.</summary>
    public const string Heartbeat = """
        UPDATE jobs SET lease_expires_at = now() + $3 * interval '1 millisecond'
        WHERE id = ANY($1) AND state = 'running' AND lease_owner = $2
        RETURNING id, cancel_requested_at IS NOT NULL
        """;

    /// <summary>Jobs whose worker stopped renewing: run again, or dead when out of attempts (or cancelled if asked).</summary>
    public const string RescueExpired = """
        WITH expired AS (
            SELECT id FROM jobs
            WHERE state = 'running' AND lease_expires_at < now()
            ORDER BY lease_expires_at
            LIMIT $1
            FOR UPDATE SKIP LOCKED
        )
        UPDATE jobs j SET
            state = CASE WHEN j.cancel_requested_at IS NOT NULL THEN 'cancelled'
                         WHEN j.attempt >= j.max_attempts THEN 'dead'
                         ELSE 'queued' END,
            run_at = now(),
            finished_at = CASE WHEN j.cancel_requested_at IS NOT NULL OR j.attempt >= j.max_attempts THEN now() END,
            error_message = 'The worker running this attempt stopped renewing its lease (' || coalesce(j.lease_owner, '?') || ').',
            error_type = 'lease_expired',
            lease_owner = NULL,
            lease_expires_at = NULL
        FROM expired WHERE j.id = expired.id
        RETURNING j.id, j.queue, j.state
        """;

    public const string PromoteDue = """
        WITH due AS (
            SELECT id FROM jobs
            WHERE state IN ('scheduled', 'failed') AND run_at <= now()
            ORDER BY run_at
            LIMIT $1
            FOR UPDATE SKIP LOCKED
        )
        UPDATE jobs j SET state = 'queued' FROM due WHERE j.id = due.id
        RETURNING j.id, j.queue
        """;

    /// <summary>Small batches keep each delete short so retention never holds locks the claim needs.</summary>
    public const string PruneFinished = """
        DELETE FROM jobs WHERE id IN (
            SELECT id FROM jobs
            WHERE state IN ('succeeded', 'dead', 'cancelled') AND finished_at < now() - $1 * interval '1 second'
            LIMIT $2)
        """;

    public const string QueueDepth = """
        SELECT queue, state, count(*) FROM jobs
        WHERE state IN ('queued', 'scheduled', 'running', 'failed')
        GROUP BY queue, state
        """;
}

-- The job table is shaped for the claim query: a partial index holding only queued rows, in claim order.
CREATE TABLE jobs (
    id                  uuid        PRIMARY KEY,           -- UUIDv7: time-ordered, so it doubles as the listing key
    state               text        NOT NULL CHECK (state IN ('queued', 'scheduled', 'running', 'succeeded', 'failed', 'dead', 'cancelled')),
    type                text        NOT NULL,
    queue               text        NOT NULL,
    priority            smallint    NOT NULL CHECK (priority BETWEEN 0 AND 9),
    attempt             smallint    NOT NULL DEFAULT 0,
    max_attempts        smallint    NOT NULL CHECK (max_attempts >= 1),
    run_at              timestamptz NOT NULL,
    input               jsonb       NOT NULL,
    result              jsonb,
    error_message       text,
    error_type          text,
    lease_owner         text,
    lease_expires_at    timestamptz,
    cancel_requested_at timestamptz,
    owner               text        NOT NULL,              -- the API key name that created the job
    idempotency_key     text,
    request_hash        bytea,
    trace_parent        text,
    trace_state         text,
    request_id          text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    started_at          timestamptz,
    finished_at         timestamptz
);

CREATE INDEX jobs_claim_idx ON jobs (queue, priority, run_at, id) WHERE state = 'queued';
CREATE INDEX jobs_due_idx ON jobs (run_at) WHERE state IN ('scheduled', 'failed');
CREATE INDEX jobs_lease_idx ON jobs (lease_expires_at) WHERE state = 'running';
CREATE INDEX jobs_finished_idx ON jobs (finished_at) WHERE state IN ('succeeded', 'dead', 'cancelled');
CREATE UNIQUE INDEX jobs_idempotency_idx ON jobs (owner, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE job_steps (
    job_id      uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    attempt     smallint    NOT NULL,
    index       smallint    NOT NULL,
    name        text        NOT NULL,
    state       text        NOT NULL CHECK (state IN ('running', 'succeeded', 'failed')),
    started_at  timestamptz NOT NULL,
    finished_at timestamptz,
    duration_ms double precision,
    output      text,
    PRIMARY KEY (job_id, attempt, index)
);

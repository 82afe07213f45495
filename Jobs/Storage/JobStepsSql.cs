namespace Jobs.Storage;

/// <summary>Every statement on the <c>job_steps</c> table.</summary>
public static class JobStepsSql
{
    public const string Start = """
        INSERT INTO job_steps (job_id, attempt, index, name, state, started_at)
        VALUES ($1, $2, $3, $4, 'running', now())
        ON CONFLICT (job_id, attempt, index) DO UPDATE SET name = excluded.name, state = 'running', started_at = now(),
            finished_at = NULL, duration_ms = NULL, output = NULL
        """;

    public const string Finish = """
        UPDATE job_steps SET state = $4, finished_at = now(),
            duration_ms = extract(epoch FROM now() - started_at) * 1000, output = $5
        WHERE job_id = $1 AND attempt = $2 AND index = $3
        """;

    public const string List = """
        SELECT attempt, index, name, state, started_at, finished_at, duration_ms, output
        FROM job_steps WHERE job_id = $1 ORDER BY attempt, index
        """;
}

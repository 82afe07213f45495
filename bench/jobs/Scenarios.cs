using System.Diagnostics;
using System.Net.Http.Json;

namespace Bench.Jobs;

/// <summary>The job system's runs. Each starts from an empty table; latencies come from the database's own timestamps.</summary>
public static class Scenarios
{
    /// <summary>
    /// Runs jobs through both Api paths before anything is measured. The services are long-running: without this,
    /// the first scenarios mostly measure the JIT (tiered recompilation took half of the workers' CPU in the first
    /// seconds of a run), not the job system.
    /// </summary>
    public static async Task WarmUpAsync(JobSystem system)
    {
        await ResetAsync(system);
        await PostBatchesAsync(system, 20);
        await PostSinglesAsync(system, 5000); // the single path needs many calls before tiered PGO settles
        await WaitAllSucceededAsync(system, 25_000);
        Console.WriteLine("warm-up: 25000 jobs done");
    }

    /// <summary>
    /// River's burn-down: N echo jobs inserted directly, then worked off. The insert is one statement, so the running
    /// workers see all N at once when it commits; the figure is first start → last finish from the rows.
    /// </summary>
    public static async Task<Result> BurnDownAsync(JobSystem system, int count)
    {
        await ResetAsync(system);
        // Time-ordered ids like the Api's UUIDv7 (Postgres 15 has no uuidv7()): random v4 ids would scatter the
        // primary-key updates of claim and completion over the whole index, which the real system never does.
        await system.ScalarAsync("""
            INSERT INTO jobs (id, state, type, queue, priority, max_attempts, run_at, input, owner)
            SELECT (lpad(to_hex((extract(epoch FROM now()) * 1000)::bigint), 12, '0') || '7' || lpad(to_hex(i), 7, '0')
                    || substr(md5(i::text), 1, 12))::uuid,
                   'queued', 'echo', 'default', 5, 3, now(), jsonb_build_object('i', i), 'bench'
            FROM generate_series(1, $1) AS i
            """, count);
        var cpu = CpuMeter.Start();
        await system.ScalarAsync("ANALYZE jobs"); // what autovacuum would do shortly; keeps the completer's plans sane
        Console.WriteLine($"burn-down: {count} jobs inserted");
        await WaitAllSucceededAsync(system, count);
        var seconds = await SecondsAsync(system, "max(finished_at) - min(started_at)");
        return new Result(system.Label, "burn-down (direct insert)", count, seconds, Cpu: cpu.MicrosecondsPerJob(count));
    }

    /// <summary>End to end: POST /jobs/batch with 1,000 jobs per request, 4 clients at once.</summary>
    public static async Task<Result> BatchEnqueueAsync(JobSystem system, int count)
    {
        await ResetAsync(system);
        var cpu = CpuMeter.Start();
        var clock = Stopwatch.StartNew();
        var requests = count / 1000;
        await PostBatchesAsync(system, requests);
        await WaitAllSucceededAsync(system, requests * 1000);
        clock.Stop();
        var (p50, p99) = await LatencyAsync(system, "finished_at - created_at");
        return new Result(system.Label, "API batch enqueue → completed", requests * 1000, clock.Elapsed.TotalSeconds, p50, p99, cpu.MicrosecondsPerJob(requests * 1000));
    }

    /// <summary>End to end: one job per POST /jobs, 16 clients at once.</summary>
    public static async Task<Result> SinglePerRequestAsync(JobSystem system, int count)
    {
        await ResetAsync(system);
        var cpu = CpuMeter.Start();
        var clock = Stopwatch.StartNew();
        await PostSinglesAsync(system, count);
        await WaitAllSucceededAsync(system, count);
        clock.Stop();
        var (p50, p99) = await LatencyAsync(system, "finished_at - created_at");
        return new Result(system.Label, "API one job per request → completed", count, clock.Elapsed.TotalSeconds, p50, p99, cpu.MicrosecondsPerJob(count));
    }

    /// <summary>
    /// One job at a time on an idle system: add → start latency (graphile-worker's figure). "Start" is the handler
    /// running, as in Hangfire's row (its job method entered): each job is an <c>agent</c> job of one <c>echo</c> step,
    /// and the step's row is written as the handler's first act, so its <c>started_at</c> is a moment just after the
    /// handler began. The claim (<c>jobs.started_at</c>, when Postgres leased the job) comes earlier and is reported
    /// as its own row.
    /// </summary>
    public static async Task<Result[]> IdleLatencyAsync(JobSystem system, int count)
    {
        await ResetAsync(system);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var job = new { type = "agent", input = new { steps = new[] { new { tool = "echo", input = new { i } } } } };
            using var response = await system.Api.PostAsJsonAsync("/api/v1/jobs", job);
            response.EnsureSuccessStatusCode();
            // Stay idle between jobs, and check the job is done only afterwards: polling the database while the job
            // starts would load the two cores in exactly the window being measured (Hangfire's idle row waits on an
            // in-process flag, not on its database).
            await Task.Delay(20);
            await WaitAllSucceededAsync(system, i + 1, poll: TimeSpan.FromMilliseconds(2));
        }
        clock.Stop();
        var (p50, p99) = await LatencyAsync(system, "s.started_at - j.created_at",
            "jobs j JOIN job_steps s ON s.job_id = j.id AND s.attempt = 1 AND s.index = 0");
        var (claimP50, claimP99) = await LatencyAsync(system, "j.started_at - j.created_at");
        return
        [
            new Result(system.Label, "idle: add → start", count, clock.Elapsed.TotalSeconds, p50, p99),
            new Result(system.Label, "idle: add → claimed (not comparable: no handler yet)", count, clock.Elapsed.TotalSeconds, claimP50, claimP99),
        ];
    }

    /// <summary><paramref name="requests"/> POST /jobs/batch of 1,000 echo jobs each, 4 clients at once.</summary>
    private static Task PostBatchesAsync(JobSystem system, int requests) =>
        Parallel.ForEachAsync(Enumerable.Range(0, requests), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (r, ct) =>
        {
            var jobs = Enumerable.Range(0, 1000).Select(i => new { type = "echo", input = new { r, i } });
            using var response = await system.Api.PostAsJsonAsync("/api/v1/jobs/batch", new { jobs }, ct);
            response.EnsureSuccessStatusCode();
        });

    /// <summary><paramref name="count"/> POST /jobs of one echo job each, 16 clients at once.</summary>
    private static Task PostSinglesAsync(JobSystem system, int count) =>
        Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            using var response = await system.Api.PostAsJsonAsync("/api/v1/jobs", new { type = "echo", input = new { i } }, ct);
            response.EnsureSuccessStatusCode();
        });

    private static async Task ResetAsync(JobSystem system) => await system.ScalarAsync("TRUNCATE jobs CASCADE");

    /// <summary>
    /// Waits until no job is queued or running (a probe of the two partial indexes: a count(*) every poll would scan
    /// the table and bill the system under test for it), then checks that all of them succeeded.
    /// </summary>
    private static async Task WaitAllSucceededAsync(JobSystem system, int count, TimeSpan? poll = null)
    {
        var deadline = Stopwatch.StartNew();
        while (await system.ScalarAsync("SELECT count(*) FROM (SELECT 1 FROM jobs WHERE state IN ('queued', 'running') LIMIT 1) AS busy") > 0
               || await system.ScalarAsync("SELECT count(*) FROM jobs WHERE state = 'succeeded'") < count)
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(10))
            {
                throw new TimeoutException($"Not all {count} jobs succeeded within 10 minutes.");
            }
            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(100));
        }
    }

    private static async Task<double> SecondsAsync(JobSystem system, string span)
    {
        await using var command = system.Db.CreateCommand($"SELECT extract(epoch FROM {span})::float8 FROM jobs");
        return (double)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<(double P50, double P99)> LatencyAsync(JobSystem system, string span, string from = "jobs j")
    {
        await using var command = system.Db.CreateCommand($"""
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM {span}) * 1000),
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM {span}) * 1000)
            FROM {from}
            """);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetDouble(0), reader.GetDouble(1));
    }
}

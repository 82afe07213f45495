using System.Collections.Concurrent;
using System.Diagnostics;
using Hangfire;
using Hangfire.PostgreSql;
using Npgsql;

namespace Bench.Jobs;

/// <summary>Hangfire.PostgreSql on the same Postgres server (its own database), in this process, run the same way.</summary>
public static class HangfirePeer
{
    private const string System = "Hangfire.PostgreSql 1.21.1";
    private static int _done;
    private static readonly ConcurrentDictionary<int, long> Started = new();

    public static async Task<List<Result>> RunAsync(string serverConnectionString, int count, int idleCount)
    {
        await using (var admin = NpgsqlDataSource.Create(serverConnectionString))
        {
            await admin.CreateCommand("DROP DATABASE IF EXISTS hangfire_bench WITH (FORCE)").ExecuteNonQueryAsync();
            await admin.CreateCommand("CREATE DATABASE hangfire_bench").ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = "hangfire_bench" }.ConnectionString;
        GlobalConfiguration.Configuration
            .UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connectionString),
                new PostgreSqlStorageOptions { QueuePollInterval = TimeSpan.FromMilliseconds(50), PrepareSchemaIfNecessary = true })
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings();
        var storage = JobStorage.Current;
        var client = new BackgroundJobClient(storage);
        var serverOptions = new BackgroundJobServerOptions { WorkerCount = 20, SchedulePollingInterval = TimeSpan.FromMilliseconds(100) };
        var results = new List<Result>();

        // Burn-down: enqueue with no server running, then start one and time the drain.
        for (var i = 0; i < count; i++)
        {
            client.Enqueue(() => Echo(i));
        }
        Console.WriteLine($"hangfire burn-down: {count} jobs enqueued; starting server");
        _done = 0;
        var cpu = CpuMeter.Start(); // Hangfire runs in this process: its CPU is the "bench client" part
        var clock = Stopwatch.StartNew();
        using (var server = new BackgroundJobServer(serverOptions, storage))
        {
            await WaitDoneAsync(count);
            clock.Stop();
            results.Add(new Result(System, "burn-down (client enqueue)", count, clock.Elapsed.TotalSeconds, Cpu: cpu.MicrosecondsPerJob(count)));

            // End to end: 16 clients enqueue one job per call while the server runs (Hangfire has no HTTP API).
            _done = 0;
            cpu = CpuMeter.Start();
            clock.Restart();
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 16 }, (i, _) =>
            {
                client.Enqueue(() => Echo(i));
                return ValueTask.CompletedTask;
            });
            await WaitDoneAsync(count);
            results.Add(new Result(System, "one job per client call → completed", count, clock.Elapsed.TotalSeconds, Cpu: cpu.MicrosecondsPerJob(count)));

            // Idle: one job at a time, enqueue → start.
            var latencies = new List<double>();
            for (var i = 0; i < idleCount; i++)
            {
                var enqueued = Stopwatch.GetTimestamp();
                var id = -(i + 1);
                client.Enqueue(() => Mark(id));
                long started;
                while (!Started.TryGetValue(id, out started))
                {
                    await Task.Delay(1);
                }
                latencies.Add(Stopwatch.GetElapsedTime(enqueued, started).TotalMilliseconds);
                await Task.Delay(20);
            }
            latencies.Sort();
            results.Add(new Result(System, "idle: add → start", idleCount, latencies.Sum() / 1000, Result.Percentile(latencies, 0.5), Result.Percentile(latencies, 0.99)));
        }
        return results;
    }

    /// <summary>Bounded like the job system's waits, so a stuck run ends the benchmark instead of hanging it.</summary>
    private static async Task WaitDoneAsync(int count)
    {
        var deadline = Stopwatch.StartNew();
        while (Volatile.Read(ref _done) < count)
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(10))
            {
                throw new TimeoutException($"Hangfire finished {_done} of {count} jobs in 10 minutes.");
            }
            await Task.Delay(50);
        }
    }

    public static void Echo(int i) => Interlocked.Increment(ref _done);

    public static void Mark(int id) => Started[id] = Stopwatch.GetTimestamp();
}

namespace Bench.Jobs;

/// <param name="Concurrency">Jobs:Worker:Concurrency and ClaimBatchSize for every worker; 0 keeps the workers' defaults.</param>
public sealed record BenchOptions(int BurnDown, int Batch, int Single, int Idle, int Hangfire, int Workers, int Concurrency)
{
    public static BenchOptions Parse(string[] args)
    {
        int Get(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
        }
        return new(Get("--burn-down", 200_000), Get("--batch", 50_000), Get("--single", 10_000), Get("--idle", 200), Get("--hangfire", 5_000), Get("--workers", 2), Get("--concurrency", 0));
    }
}

/// <summary>
/// One row of the results table; <see cref="Load"/> is the 1-minute load average when the scenario ended, and
/// <paramref name="Cpu"/> the CPU microseconds per job of each process group (<see cref="CpuMeter"/>).
/// </summary>
public sealed record Result(string System, string Scenario, int Jobs, double Seconds, double? P50Ms = null, double? P99Ms = null, string? Cpu = null)
{
    public const string MarkdownHeader = "| system | scenario | jobs | seconds | jobs/s | p50 ms | p99 ms | load | CPU µs per job |\n|---|---|---:|---:|---:|---:|---:|---:|---|";

    public string Load { get; } = LoadAverage();

    public string ToMarkdown() =>
        $"| {System} | {Scenario} | {Jobs} | {Seconds:F2} | {(Seconds > 0 ? Jobs / Seconds : 0):F0} | {P50Ms?.ToString("F1") ?? "–"} | {P99Ms?.ToString("F1") ?? "–"} | {Load} | {Cpu ?? "–"} |";

    /// <summary>Other processes on this shared machine distort every figure: each row says how busy it was.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}

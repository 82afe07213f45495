namespace Bench.Jobs;

/// <summary>
/// CPU time spent by each part of the system during a scenario, read from /proc: unlike jobs/s it does not depend on
/// what else runs on the machine, so it shows where the time per job goes even on a busy box. The parts are the
/// processes this benchmark started (the testing builder starts Postgres, Redis, the Api and workers as children).
/// </summary>
public sealed class CpuMeter
{
    private readonly Dictionary<string, double> _start;

    private CpuMeter(Dictionary<string, double> start) => _start = start;

    public static CpuMeter Start() => new(Sample());

    /// <summary>CPU milliseconds per job for each part since <see cref="Start"/>, e.g. <c>api 12 · worker 40 · postgres 55</c> (µs).</summary>
    public string MicrosecondsPerJob(int jobs)
    {
        var end = Sample();
        var parts = end.Keys.Union(_start.Keys).Order(StringComparer.Ordinal)
            .Select(part => (part, seconds: end.GetValueOrDefault(part) - _start.GetValueOrDefault(part)))
            .Where(p => p.seconds > 0)
            .Select(p => $"{p.part} {p.seconds * 1e6 / Math.Max(1, jobs):F0}");
        return string.Join(" · ", parts);
    }

    /// <summary>Seconds of CPU per part: each descendant of this process, with what its reaped children used.</summary>
    private static Dictionary<string, double> Sample()
    {
        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        if (!OperatingSystem.IsLinux())
        {
            return totals;
        }
        var ticks = 100.0; // USER_HZ on Linux
        var parents = new Dictionary<int, int>();
        var cpu = new Dictionary<int, double>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // Fields after the command name (which may hold spaces): state ppid ... utime(14) stime cutime cstime.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1]);
                cpu[pid] = (long.Parse(fields[11]) + long.Parse(fields[12]) + long.Parse(fields[13]) + long.Parse(fields[14])) / ticks;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
            {
                // The process exited while we looked.
            }
        }
        var self = Environment.ProcessId;
        foreach (var (pid, seconds) in cpu)
        {
            if (pid != self && IsDescendant(pid, self, parents) && PartOf(pid) is { } part)
            {
                totals[part] = totals.GetValueOrDefault(part) + seconds;
            }
        }
        totals["bench client"] = Environment.CpuUsage.TotalTime.TotalSeconds;
        return totals;
    }

    private static bool IsDescendant(int pid, int ancestor, Dictionary<int, int> parents)
    {
        for (var depth = 0; depth < 16 && parents.TryGetValue(pid, out var parent); depth++, pid = parent)
        {
            if (parent == ancestor)
            {
                return true;
            }
        }
        return false;
    }

    private static string? PartOf(int pid)
    {
        string command;
        try
        {
            command = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return null;
        }
        return command switch
        {
            _ when command.Contains("Worker.dll", StringComparison.Ordinal) || command.Contains("/Worker ", StringComparison.Ordinal) => "worker",
            _ when command.Contains("Api.dll", StringComparison.Ordinal) || command.Contains("/Api ", StringComparison.Ordinal) => "api",
            _ when command.Contains("postgres", StringComparison.Ordinal) => "postgres",
            _ when command.Contains("redis", StringComparison.Ordinal) || command.Contains("garnet", StringComparison.OrdinalIgnoreCase) => "redis",
            _ => null,
        };
    }
}

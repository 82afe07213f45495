namespace Hosting.Tests.Infrastructure;

/// <summary>Reads /proc to find a process's descendants and whether processes still exist.</summary>
public static class ProcessTable
{
    public static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        try
        {
            // A zombie has exited; it only waits for its parent to reap it.
            return ParseStat(File.ReadAllText(stat)).State != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Polls until none of <paramref name="pids"/> is alive; the token bounds the wait.</summary>
    public static async Task WaitForExitAsync(IEnumerable<int> pids, CancellationToken cancellationToken)
    {
        while (pids.Any(IsAlive))
        {
            await Task.Delay(50, cancellationToken);
        }
    }

    public static IReadOnlyList<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.GetDirectories("/proc"))
        {
            if (int.TryParse(System.IO.Path.GetFileName(directory), out var pid))
            {
                try
                {
                    parents[pid] = ParseStat(File.ReadAllText(System.IO.Path.Combine(directory, "stat"))).ParentId;
                }
                catch (IOException)
                {
                    // Exited while we looked.
                }
            }
        }

        var result = new List<int>();
        var pending = new Queue<int>([root]);
        while (pending.TryDequeue(out var current))
        {
            foreach (var (pid, parent) in parents)
            {
                if (parent == current)
                {
                    result.Add(pid);
                    pending.Enqueue(pid);
                }
            }
        }

        return result;
    }

    // The command name is in parentheses and may contain spaces; the fields after it are fixed.
    private static (char State, int ParentId) ParseStat(string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (fields[0][0], int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}

using Aspire.Hosting.Processes;

namespace Aspire.Hosting.Orchestration;

/// <summary>Per-run scratch directories (ephemeral databases, config files with passwords).</summary>
internal static class RunDirectories
{
    public static void Remove(AppHostPaths paths) => TryDelete(paths.RunDirectory);

    /// <summary>Removes what runs of AppHosts that no longer exist (killed outright) left behind.</summary>
    public static void RemoveStale(AppHostPaths paths)
    {
        var root = Path.GetDirectoryName(paths.RunDirectory)!;
        if (!Directory.Exists(root))
        {
            return;
        }

        foreach (var directory in Directory.GetDirectories(root))
        {
            var name = Path.GetFileName(directory);
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && int.TryParse(name[..dash], out var pid) && !NativeMethods.IsProcessAlive(pid))
            {
                TryDelete(directory);
            }
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a later run tries again.
        }
    }
}

using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Aspire.Hosting.Postgres;

/// <summary>A local PostgreSQL server installation.</summary>
internal sealed partial record PostgresBinaries(string BinDirectory, int MajorVersion)
{
    public string InitDb => Path.Combine(BinDirectory, "initdb");

    public string Postgres => Path.Combine(BinDirectory, "postgres");

    /// <summary>
    /// Uses <paramref name="binDirectory"/> when given; otherwise looks on PATH, then <c>pg_config --bindir</c>, then
    /// Debian's <c>/usr/lib/postgresql/*/bin</c> (newest first).
    /// </summary>
    public static PostgresBinaries? Find(string? binDirectory)
    {
        var candidates = new List<string>();
        if (binDirectory is not null)
        {
            candidates.Add(binDirectory);
        }
        else if (Processes.ProcessLauncher.FindOnPath("initdb") is { } initdb)
        {
            candidates.Add(Path.GetDirectoryName(new FileInfo(initdb).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initdb)!);
        }

        if (binDirectory is null && Processes.ProcessLauncher.FindOnPath("pg_config") is { } pgConfig && Run(pgConfig, "--bindir") is { } bindir)
        {
            candidates.Add(bindir.Trim());
        }

        if (binDirectory is null && Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")));
        }

        foreach (var directory in candidates.Distinct())
        {
            var binaries = new PostgresBinaries(directory, 0);
            if (File.Exists(binaries.InitDb) && File.Exists(binaries.Postgres)
                && Run(binaries.Postgres, "--version") is { } version && MajorVersionPattern().Match(version) is { Success: true } match)
            {
                return binaries with { MajorVersion = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) };
            }
        }

        return null;
    }

    [GeneratedRegex(@"\(PostgreSQL\) (\d+)")]
    private static partial Regex MajorVersionPattern();

    private static string? Run(string fileName, string argument)
    {
        try
        {
            var startInfo = new ProcessStartInfo(fileName, argument) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(startInfo)!;
            var output = process.StandardOutput.ReadToEnd();
            return process.WaitForExit(10_000) && process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}

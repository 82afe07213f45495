using System.Diagnostics;
using System.Text;

namespace Deploy.Tests.Infrastructure;

/// <summary>An external program the tests run (promtool, prometheus, exporters); a missing one fails the test with how to get it.</summary>
public sealed record Tool(string Name, string DebianPackage)
{
    public static readonly Tool Promtool = new("promtool", "prometheus");
    public static readonly Tool Prometheus = new("prometheus", "prometheus");
    public static readonly Tool PostgresExporter = new("prometheus-postgres-exporter", "prometheus-postgres-exporter");
    public static readonly Tool RedisExporter = new("prometheus-redis-exporter", "prometheus-redis-exporter");
    public static readonly Tool Bash = new("bash", "bash");
    public static readonly Tool Tar = new("tar", "tar");
    public static readonly Tool Unshare = new("unshare", "util-linux");
    public static readonly Tool DockerCompose = new("docker-compose", "docker-compose");
    public static readonly Tool Dotnet = new("dotnet", "dotnet-sdk-10.0");

    /// <summary>The program's full path from PATH; the test fails with the package to install when it is missing.</summary>
    public string Path =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => System.IO.Path.Combine(dir, Name))
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException(
            $"'{Name}' is not on PATH. Install the Debian package: apt-get install -y {DebianPackage} (.ci/run installs it).");

    /// <summary>Runs the program to completion and returns its exit code with stdout and stderr interleaved.</summary>
    public Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, CancellationToken cancellationToken, params string[] args) =>
        RunAsync(workingDirectory, new Dictionary<string, string>(), cancellationToken, args);

    /// <param name="environment">Variables added to this process' environment.</param>
    public async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken, params string[] args)
    {
        var start = new ProcessStartInfo(Path)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Name}.");
        var output = new StringBuilder();
        var reading = Task.WhenAll(Pump(process.StandardOutput, output), Pump(process.StandardError, output));
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        await reading;
        return (process.ExitCode, output.ToString());
    }

    /// <summary>Starts the program as a server that runs until disposed.</summary>
    public BackgroundProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        BackgroundProcess.Start(Path, workingDirectory, environment, args);

    private static async Task Pump(StreamReader reader, StringBuilder output)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}

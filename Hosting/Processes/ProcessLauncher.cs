using System.Collections.Concurrent;
using System.Diagnostics;

namespace Aspire.Hosting.Processes;

/// <summary>
/// Starts child processes so that none can outlive the AppHost. On Linux each child is wrapped with
/// <c>setsid</c> (its own session: a terminal Ctrl+C reaches only the AppHost, which stops children in order) and
/// <c>setpriv --pdeathsig KILL</c> (the kernel kills it if the AppHost dies, even from SIGKILL). The parent-death
/// signal fires when the forking <em>thread</em> exits, so every fork happens on one thread that lives as long as
/// the AppHost.
/// </summary>
internal sealed class ProcessLauncher : IDisposable
{
    private static readonly string[] AppHostOnlyPrefixes = ["ASPIRE_", "Parameters__", "Hosting__", "AppHost__", "DOTNET_LAUNCH_PROFILE", "DOTNET_RESOURCE_SERVICE", "ASPNETCORE_URLS", "DOTNET_URLS", "DOTNET_WATCH"];

    private readonly BlockingCollection<(ProcessStartInfo StartInfo, TaskCompletionSource<Process> Result)> _queue = [];
    private readonly Thread _thread;
    private readonly string? _setsid = FindOnPath("setsid");
    private readonly string? _setpriv = FindOnPath("setpriv");

    public ProcessLauncher()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "Aspire process launcher" };
        _thread.Start();
    }

    public Task<Process> StartAsync(ProcessSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var result = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add((CreateStartInfo(spec), result));
        return result.Task;
    }

    /// <summary>Call only once every child has exited: ending the thread kills the children it started.</summary>
    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(5));
        _queue.Dispose();
    }

    private void Run()
    {
        foreach (var (startInfo, result) in _queue.GetConsumingEnumerable())
        {
            try
            {
                result.SetResult(Process.Start(startInfo) ?? throw new InvalidOperationException($"'{startInfo.FileName}' did not start."));
            }
            catch (Exception ex)
            {
                result.SetException(ex);
            }
        }
    }

    private ProcessStartInfo CreateStartInfo(ProcessSpec spec)
    {
        var startInfo = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = spec.WorkingDirectory ?? Environment.CurrentDirectory,
        };

        var arguments = new List<string>();
        if (OperatingSystem.IsLinux() && _setpriv is not null)
        {
            if (_setsid is not null)
            {
                startInfo.FileName = _setsid;
                arguments.Add(_setpriv);
            }
            else
            {
                startInfo.FileName = _setpriv;
            }

            arguments.AddRange(["--pdeathsig", "KILL"]);
            if (spec.RunAsUser is { } user)
            {
                arguments.AddRange([$"--reuid={user}", $"--regid={user}", "--init-groups"]);
            }

            arguments.Add("--");
            arguments.Add(spec.FileName);
        }
        else if (spec.RunAsUser is not null)
        {
            throw new DistributedApplicationException($"Running '{spec.FileName}' as user '{spec.RunAsUser}' needs setpriv (util-linux), which was not found on PATH.");
        }
        else
        {
            startInfo.FileName = spec.FileName;
        }

        arguments.AddRange(spec.Arguments);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var key in startInfo.Environment.Keys.Where(k => AppHostOnlyPrefixes.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList())
        {
            startInfo.Environment.Remove(key);
        }

        foreach (var (key, value) in spec.Environment)
        {
            startInfo.Environment[key] = value;
        }

        return startInfo;
    }

    internal static string? FindOnPath(string program)
    {
        if (Path.IsPathRooted(program))
        {
            return File.Exists(program) ? program : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
    }
}

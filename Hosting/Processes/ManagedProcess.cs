using System.Diagnostics;

namespace Aspire.Hosting.Processes;

/// <summary>A started child process: its output is pumped line by line, and it can be stopped gracefully.</summary>
internal sealed class ManagedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly UnixSignal _stopSignal;
    private readonly Task _stdout;
    private readonly Task _stderr;

    private ManagedProcess(Process process, UnixSignal stopSignal, Action<string, bool> onLine)
    {
        _process = process;
        _stopSignal = stopSignal;
        _stdout = PumpAsync(process.StandardOutput, line => onLine(line, false));
        _stderr = PumpAsync(process.StandardError, line => onLine(line, true));
        Exited = WaitForExitAsync();
    }

    public int Id => _process.Id;

    /// <summary>Completes with the exit code once the process has exited and all its output has been read.</summary>
    public Task<int> Exited { get; }

    public static async Task<ManagedProcess> StartAsync(ProcessLauncher launcher, ProcessSpec spec, Action<string, bool> onLine)
    {
        var process = await launcher.StartAsync(spec);
        return new ManagedProcess(process, spec.StopSignal, onLine);
    }

    /// <summary>Runs a short-lived command (initdb, chown) to completion; returns its exit code and its last output lines.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(ProcessLauncher launcher, ProcessSpec spec, Action<string, bool> onLine, CancellationToken cancellationToken)
    {
        var tail = new Queue<string>();
        await using var process = await StartAsync(launcher, spec, (line, isError) =>
        {
            onLine(line, isError);
            lock (tail)
            {
                tail.Enqueue(line);
                if (tail.Count > 20)
                {
                    tail.Dequeue();
                }
            }
        });
        var exitCode = await process.Exited.WaitAsync(cancellationToken);
        lock (tail)
        {
            return (exitCode, string.Join(Environment.NewLine, tail));
        }
    }

    /// <summary>Sends the stop signal, then kills the process if it has not exited within <paramref name="timeout"/>.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!Exited.IsCompleted)
        {
            NativeMethods.SendSignal(_process.Id, _stopSignal);
            try
            {
                await Exited.WaitAsync(timeout);
            }
            catch (TimeoutException)
            {
                Kill();
            }
        }

        return await Exited;
    }

    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await ((Task)Exited).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _process.Dispose();
    }

    private async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync();

        // A grandchild that inherited the pipes could keep them open forever; the last lines are worth a short wait only.
        await Task.WhenAny(Task.WhenAll(_stdout, _stderr), Task.Delay(TimeSpan.FromSeconds(2)));
        return _process.ExitCode;
    }

    private static async Task PumpAsync(StreamReader reader, Action<string> onLine)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            onLine(line);
        }
    }
}

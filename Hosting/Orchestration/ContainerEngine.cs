using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aspire.Hosting.Orchestration;

/// <summary>Finds a container engine that actually answers (a docker client without a daemon does not count).</summary>
internal sealed class ContainerEngine(IOptions<HostingOptions> options, ILogger<ContainerEngine> logger)
{
    private readonly Lazy<Task<string?>> _engine = new(() => DetectAsync(options.Value, logger));

    /// <summary>The engine's CLI name (<c>docker</c> or <c>podman</c>), or null when none works.</summary>
    public Task<string?> GetEngineAsync() => _engine.Value;

    private static async Task<string?> DetectAsync(HostingOptions options, ILogger logger)
    {
        var configured = options.ContainerRuntime ?? Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME");
        if (string.Equals(configured, "none", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        foreach (var engine in configured is null ? ["docker", "podman"] : new[] { configured.ToLowerInvariant() })
        {
            if (await AnswersAsync(engine))
            {
                logger.LogInformation("Using container engine {Engine}", engine);
                return engine;
            }
        }

        logger.LogInformation("No container engine answered; container resources run as local processes where possible");
        return null;
    }

    private static async Task<bool> AnswersAsync(string engine)
    {
        if (Processes.ProcessLauncher.FindOnPath(engine) is not { } path)
        {
            return false;
        }

        var startInfo = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        startInfo.ArgumentList.Add("info");
        startInfo.ArgumentList.Add("--format");
        startInfo.ArgumentList.Add("{{.ServerVersion}}");
        using var process = Process.Start(startInfo);
        if (process is null)
        {
            return false;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode == 0;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return false;
        }
    }
}

using System.Diagnostics;
using Hosting.Tests.Infrastructure;

namespace Hosting.Tests;

/// <summary>`dotnet run --project AppHost` reports start-up problems as one message and exit code 1.</summary>
public sealed class ConsoleTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_start_up_problem_prints_one_message_without_a_stack_trace_and_exits_with_1()
    {
        var ct = TestApps.Timeout();
        var appHost = new Projects.AppHost();
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(appHost.ProjectPath)!,
        };
        foreach (var arg in new[]
        {
            appHost.TargetPath, "--Hosting:RandomizePorts=true", "--Hosting:ContainerRuntime=none", "--DisableDashboard=true",
            $"--Hosting:Postgres:BinDirectory={_data.Path}/nowhere", $"--Hosting:DataDirectory={_data.Path}", $"--Hosting:SecretsFile={_data.SecretsFile}",
        })
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = await process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);

        Assert.Equal(1, process.ExitCode);
        Assert.StartsWith("error: Resource 'postgres' cannot start", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("   at ", stderr + await stdout, StringComparison.Ordinal);
    }
}

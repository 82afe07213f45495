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
        var (exitCode, stdout, stderr) = await AppHostProcess.RunAsync(_data, TestApps.Timeout(),
            "--Hosting:RandomizePorts=true", "--Hosting:ContainerRuntime=none", "--DisableDashboard=true", $"--Hosting:Postgres:BinDirectory={_data.Path}/nowhere");

        Assert.Equal(1, exitCode);
        Assert.StartsWith("error: Resource 'postgres' cannot start", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("   at ", stderr + stdout, StringComparison.Ordinal);
    }
}

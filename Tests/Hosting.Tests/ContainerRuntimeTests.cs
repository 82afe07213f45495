using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Hosting.Tests.Infrastructure;

namespace Hosting.Tests;

/// <summary>
/// The container path, driven through a stand-in engine CLI (this machine has a docker client but no engine): the
/// orchestrator must pick the engine when `info` answers, and start each container in the foreground with ports,
/// volumes and environment, secrets passed by name only.
/// </summary>
public sealed class ContainerRuntimeTests : IDisposable
{
    private readonly TempDirectory _data = new();
    private readonly string _engine;

    public ContainerRuntimeTests()
    {
        _engine = Path.Combine(_data.Path, "fake-engine");
        File.WriteAllText(_engine, """
            #!/bin/sh
            dir=$(dirname "$0")
            case "$1" in
              info) echo 27.0.0; exit 0 ;;
              rm) echo "$@" >> "$dir/removed"; exit 0 ;;
              run) printf '%s\n' "$@" > "$dir/run.args"; env > "$dir/run.env"; exec sleep 120 ;;
            esac
            exit 1
            """.Replace("\r", "", StringComparison.Ordinal));
        File.SetUnixFileMode(_engine, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task An_answering_engine_runs_the_resource_as_a_foreground_container_with_secrets_by_name_only()
    {
        var builder = TestApps.CreateBuilder(_data, $"--Hosting:ContainerRuntime={_engine}", "--Parameters:cache-password=S3cretPassw0rdForTheCache");
        var cache = builder.AddRedis("cache").WithDataVolume("cache-volume");
        await using var app = builder.Build();
        var ct = TestApps.Timeout();
        await app.StartAsync(ct);

        var running = await app.ResourceNotifications.WaitForResourceAsync("cache", e => e.Snapshot.State == KnownResourceStates.Running, ct);
        var argsFile = Path.Combine(_data.Path, "run.args");
        while (!File.Exists(argsFile) || !File.Exists(Path.Combine(_data.Path, "run.env")))
        {
            await Task.Delay(50, ct);
        }

        var args = await File.ReadAllLinesAsync(argsFile, ct);
        var port = cache.Resource.PrimaryEndpoint.Port;
        Assert.Equal("Container", running.Snapshot.ResourceType);
        Assert.Contains(running.Snapshot.Properties, p => p.Name == "runtime" && p.Value == $"container ({_engine})");
        Assert.Equal(["run", "--rm", "--name"], args[..3]);
        Assert.StartsWith("cache-", args[3], StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}:6379", args);
        Assert.Contains("REDIS_PASSWORD", args);
        Assert.Contains("cache-volume:/data", args);
        Assert.Contains("docker.io/library/redis:7.4", args);
        Assert.Equal("exec redis-server --requirepass \"$REDIS_PASSWORD\" --save 60 1", args[^1]);
        Assert.DoesNotContain(args, a => a.Contains("S3cretPassw0rdForTheCache", StringComparison.Ordinal));
        Assert.Contains("REDIS_PASSWORD=S3cretPassw0rdForTheCache", await File.ReadAllLinesAsync(Path.Combine(_data.Path, "run.env"), ct));
        Assert.Contains($"rm --force {args[3]}", await File.ReadAllTextAsync(Path.Combine(_data.Path, "removed"), ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forcing_a_local_runtime_bypasses_an_answering_engine()
    {
        var builder = TestApps.CreateBuilder(_data, $"--Hosting:ContainerRuntime={_engine}", "--Hosting:Redis:Runtime=redis-server");
        builder.AddRedis("cache");
        await using var app = builder.Build();
        var ct = TestApps.Timeout();
        await app.StartAsync(ct);

        var healthy = await app.ResourceNotifications.WaitForResourceHealthyAsync("cache", ct);
        Assert.Contains(healthy.Snapshot.Properties, p => p.Name == "runtime" && p.Value == "redis-server");
        Assert.False(File.Exists(Path.Combine(_data.Path, "run.args")));
    }
}

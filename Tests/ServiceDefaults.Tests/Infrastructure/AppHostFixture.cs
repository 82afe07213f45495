using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.Testing;

namespace ServiceDefaults.Tests.Infrastructure;

/// <summary>
/// The AppHost's real Postgres and Redis, started once for a test class through the testing builder. Tests stop,
/// start or freeze them to see what ServiceDefaults' clients and health checks do when a dependency goes away.
/// </summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    public DistributedApplication App { get; private set; } = null!;

    public string JobsDb { get; private set; } = null!;

    public string Cache { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(["--AppHost:WorkerReplicas=1"], timeout.Token);
        App = await builder.BuildAsync(timeout.Token);
        await App.StartAsync(timeout.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("jobsdb", timeout.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("cache", timeout.Token);
        JobsDb = await App.GetConnectionStringAsync("jobsdb", timeout.Token) ?? throw new InvalidOperationException("jobsdb has no connection string");
        Cache = await App.GetConnectionStringAsync("cache", timeout.Token) ?? throw new InvalidOperationException("cache has no connection string");
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    public Dictionary<string, string?> ConnectionStrings() => new()
    {
        ["ConnectionStrings:jobsdb"] = JobsDb,
        ["ConnectionStrings:cache"] = Cache,
    };

    public async Task StopAsync(string resource)
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var result = await App.ResourceCommands.ExecuteCommandAsync(resource, "stop", timeout.Token);
        Assert.True(result.Success, result.ErrorMessage);
        await App.ResourceNotifications.WaitForResourceAsync(resource, e => e.Snapshot.State is "Exited" or "Finished", timeout.Token);
    }

    public async Task StartAsync(string resource)
    {
        if (App.ResourceNotifications.TryGetCurrentState(resource, out var current) && current.Snapshot.State == "Running")
        {
            return;
        }
        using var timeout = new CancellationTokenSource(StartTimeout);
        var result = await App.ResourceCommands.ExecuteCommandAsync(resource, "start", timeout.Token);
        Assert.True(result.Success, result.ErrorMessage);
        await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
    }

    /// <summary>
    /// SIGSTOP to the server and its children (Postgres backends): sockets stay open and the kernel still accepts
    /// connections, but nothing answers — a hung dependency.
    /// </summary>
    public async Task<IAsyncDisposable> FreezeAsync(string resource)
    {
        Assert.True(App.ResourceNotifications.TryGetCurrentState(resource, out var state), $"no state for {resource}");
        var pid = state.Snapshot.ProcessId ?? throw new InvalidOperationException($"{resource} has no process id");
        var pids = new List<int> { pid };
        foreach (var child in File.ReadAllText($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            pids.Add(int.Parse(child, System.Globalization.CultureInfo.InvariantCulture));
        }
        await SignalAsync(pids, "STOP");
        return new Thaw(pids);
    }

    private static async Task SignalAsync(IEnumerable<int> pids, string signal)
    {
        using var kill = Process.Start("kill", $"-{signal} {string.Join(' ', pids)}");
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    private sealed class Thaw(IEnumerable<int> pids) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await SignalAsync(pids, "CONT");
    }
}

/// <summary>One AppHost for every test class that needs the real Postgres and Redis.</summary>
[CollectionDefinition(Name)]
public sealed class AppHostCollection : ICollectionFixture<AppHostFixture>
{
    public const string Name = "AppHost";
}

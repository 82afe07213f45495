using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Hosting.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Hosting.Tests;

/// <summary>No child process outlives the AppHost, whether it is disposed or killed outright.</summary>
public sealed class OrphanTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Disposing_the_application_stops_every_process_it_started()
    {
        var ct = TestApps.Timeout(180);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(["--Parameters:api-key=k"], ct);
        List<int> started;
        await using (var app = await builder.BuildAsync(ct))
        {
            await app.StartAsync(ct);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("api", ct);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("worker", ct);
            // Only this application's processes: other test classes start theirs in parallel.
            var roots = app.ResourceNotifications.GetCurrentStates().Select(e => e.Snapshot.ProcessId).OfType<int>().ToList();
            started = [.. roots, .. roots.SelectMany(ProcessTable.Descendants)];
            Assert.True(started.Count >= 5, $"expected postgres, redis, api and two workers, found {started.Count} processes");
        }

        Assert.DoesNotContain(started, ProcessTable.IsAlive);
    }

    [Fact]
    public async Task Stopping_the_host_lifetime_stops_a_started_application()
    {
        var builder = TestApps.CreateBuilder(_data);
        builder.AddExecutable("steady", "sleep", ".", "600");
        await using var app = builder.Build();
        var ct = TestApps.Timeout();
        await app.StartAsync(ct);
        var running = await app.ResourceNotifications.WaitForResourceAsync("steady", e => e.Snapshot.State == KnownResourceStates.Running, ct);

        // What the console lifetime does on SIGTERM or Ctrl+C in a test or benchmark process that started an application.
        app.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        await ProcessTable.WaitForExitAsync([running.Snapshot.ProcessId!.Value], ct);
    }

    [Fact]
    public async Task Killing_the_apphost_with_sigkill_takes_its_children_down()
    {
        var ct = TestApps.Timeout(180);
        using var appHost = AppHostProcess.Start(_data, "--Hosting:RandomizePorts=true", "--Hosting:ConsoleOutput=false");
        try
        {
            while (await appHost.StandardOutput.ReadLineAsync(ct) is { } line && !line.Contains("resources are healthy", StringComparison.Ordinal))
            {
            }

            var children = ProcessTable.Descendants(appHost.Id);
            Assert.True(children.Count >= 5, $"expected the AppHost's servers and services, found {children.Count} processes");

            appHost.Kill();
            await appHost.WaitForExitAsync(ct);
            await ProcessTable.WaitForExitAsync(children, ct);
        }
        finally
        {
            appHost.Kill(entireProcessTree: true);
        }
    }
}

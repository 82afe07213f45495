using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Hosting.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Hosting.Tests;

/// <summary>Resource states, WaitFor, crashes and commands, with small shell programs as resources.</summary>
public sealed class LifecycleTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_crashing_resource_is_Exited_with_its_code_and_output_while_the_rest_keep_running()
    {
        var builder = TestApps.CreateBuilder(_data);
        builder.AddExecutable("crasher", "sh", ".", "-c", "echo about to fail; echo oops >&2; exit 3");
        builder.AddExecutable("steady", "sleep", ".", "60");
        await using var app = builder.Build();
        var ct = TestApps.Timeout();

        await app.StartAsync(ct);
        var crashed = await app.ResourceNotifications.WaitForResourceAsync("crasher", e => e.Snapshot.State == KnownResourceStates.Exited, ct);
        var steady = await app.ResourceNotifications.WaitForResourceAsync("steady", e => e.Snapshot.State == KnownResourceStates.Running, ct);

        Assert.Equal(3, crashed.Snapshot.ExitCode);
        Assert.Equal("error", crashed.Snapshot.StateStyle);
        var lines = app.ResourceLogs.GetLines("crasher");
        Assert.Contains(lines, l => l.Content == "about to fail" && !l.IsErrorMessage);
        Assert.Contains(lines, l => l.Content == "oops" && l.IsErrorMessage);
        Assert.True(ProcessTable.IsAlive(steady.Snapshot.ProcessId!.Value));
    }

    [Fact]
    public async Task WaitFor_holds_a_resource_until_its_dependency_is_healthy()
    {
        var flag = Path.Combine(_data.Path, "ready");
        var builder = TestApps.CreateBuilder(_data);
        var dependency = builder.AddExecutable("dependency", "sleep", ".", "60")
            .WithHealthCheck("flag", (_, _) => Task.FromResult(File.Exists(flag) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("no flag yet")));
        builder.AddExecutable("dependant", "sleep", ".", "60").WaitFor(dependency);
        await using var app = builder.Build();
        var ct = TestApps.Timeout();

        await app.StartAsync(ct);
        await app.ResourceNotifications.WaitForResourceAsync("dependency", e => e.Snapshot.HealthReports.Any(r => r.Description == "no flag yet"), ct);
        Assert.True(app.ResourceNotifications.TryGetCurrentState("dependant", out var waiting));
        Assert.Equal(KnownResourceStates.Waiting, waiting.Snapshot.State);

        await File.WriteAllTextAsync(flag, "", ct);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("dependant", ct);
    }

    [Fact]
    public async Task Stop_start_and_restart_commands_change_the_process()
    {
        var builder = TestApps.CreateBuilder(_data);
        builder.AddExecutable("svc", "sleep", ".", "120");
        await using var app = builder.Build();
        var ct = TestApps.Timeout();
        await app.StartAsync(ct);
        var first = await app.ResourceNotifications.WaitForResourceHealthyAsync("svc", ct);

        Assert.True((await app.ResourceCommands.ExecuteCommandAsync("svc", KnownResourceCommands.StopCommand, ct)).Success);
        Assert.True(app.ResourceNotifications.TryGetCurrentState("svc", out var stopped));
        Assert.Equal(KnownResourceStates.Exited, stopped.Snapshot.State);
        Assert.False(ProcessTable.IsAlive(first.Snapshot.ProcessId!.Value));

        Assert.True((await app.ResourceCommands.ExecuteCommandAsync("svc", "start", ct)).Success);
        var second = await app.ResourceNotifications.WaitForResourceHealthyAsync("svc", ct);
        Assert.NotEqual(first.Snapshot.ProcessId, second.Snapshot.ProcessId);

        Assert.True((await app.ResourceCommands.ExecuteCommandAsync("svc", "restart", ct)).Success);
        var third = await app.ResourceNotifications.WaitForResourceHealthyAsync("svc", ct);
        Assert.NotEqual(second.Snapshot.ProcessId, third.Snapshot.ProcessId);
        Assert.False(ProcessTable.IsAlive(second.Snapshot.ProcessId!.Value));
    }

    [Fact]
    public async Task Unknown_commands_and_resources_are_reported()
    {
        var builder = TestApps.CreateBuilder(_data);
        builder.AddExecutable("svc", "sleep", ".", "120");
        await using var app = builder.Build();
        await app.StartAsync(TestApps.Timeout());

        var missing = await app.ResourceCommands.ExecuteCommandAsync("nope", "stop");
        var unknown = await app.ResourceCommands.ExecuteCommandAsync("svc", "explode");

        Assert.Equal("Resource 'nope' does not exist.", missing.ErrorMessage);
        Assert.Contains("has no command 'explode'", unknown.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains(KnownResourceCommands.RestartCommand, unknown.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_command_fails_to_start_with_a_clear_message()
    {
        var builder = TestApps.CreateBuilder(_data);
        builder.AddExecutable("ghost", "no-such-program-anywhere", ".");
        await using var app = builder.Build();
        var ct = TestApps.Timeout();
        await app.StartAsync(ct);

        await app.ResourceNotifications.WaitForResourceAsync("ghost", KnownResourceStates.FailedToStart, ct);
        Assert.Contains(app.ResourceLogs.GetLines("ghost"), l => l.Content.Contains("'no-such-program-anywhere' was not found", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Environment_values_and_endpoint_ports_reach_the_process()
    {
        var builder = TestApps.CreateBuilder(_data, "--Parameters:greeting=hello");
        var greeting = builder.AddParameter("greeting");
        builder.AddExecutable("echoer", "sh", ".", "-c", "echo \"$GREETING on $PORT\"; sleep 60")
            .WithEnvironment("GREETING", greeting)
            .WithHttpEndpoint(env: "PORT");
        await using var app = builder.Build();
        var ct = TestApps.Timeout();
        await app.StartAsync(ct);

        var port = app.Services.GetRequiredService<DistributedApplicationModel>().Find("echoer")!.Annotations.OfType<EndpointAnnotation>().Single().AllocatedEndpoint!.Port;
        await foreach (var batch in app.ResourceLogs.WatchAsync("echoer", cancellationToken: ct))
        {
            if (batch.Any(l => l.Content == $"hello on {port}"))
            {
                return;
            }
        }
    }

    [Fact]
    public async Task Referencing_a_resource_injects_its_endpoints_for_service_discovery()
    {
        var builder = TestApps.CreateBuilder(_data);
        var backend = builder.AddExecutable("backend", "sleep", ".", "60").WithHttpEndpoint();
        builder.AddExecutable("frontend", "sleep", ".", "60").WithReference(backend.GetEndpoint("http"));
        await using var app = builder.Build();
        var ct = TestApps.Timeout();
        await app.StartAsync(ct);

        var frontend = await app.ResourceNotifications.WaitForResourceAsync("frontend", KnownResourceStates.Running, ct);
        Assert.True(app.ResourceNotifications.TryGetCurrentState("frontend", out var running));
        var variable = Assert.Single(running.Snapshot.EnvironmentVariables, v => v.Name == "services__backend__http__0");
        Assert.Equal($"http://localhost:{backend.GetEndpoint("http").Port}", variable.Value);
        Assert.Equal(KnownResourceStates.Running, frontend);
    }
}

using System.Collections.Immutable;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Eventing;
using Aspire.Hosting.Processes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aspire.Hosting.Orchestration;

/// <summary>
/// Runs the model: chooses how each resource runs, allocates ports, starts every instance once what it waits for is
/// healthy, watches exits, executes stop/start/restart, and on shutdown stops dependants before their dependencies.
/// </summary>
internal sealed class ApplicationOrchestrator(
    DistributedApplicationModel model,
    IServiceProvider services,
    IDistributedApplicationEventing eventing,
    ResourceNotificationService notifications,
    ResourceLoggerService logs,
    RuntimeSelector runtimes,
    InstanceEnvironment environment,
    ResourceHealthMonitor health,
    ProcessLauncher launcher,
    AppHostPaths paths,
    IOptions<HostingOptions> options,
    TimeProvider timeProvider,
    ILogger<ApplicationOrchestrator> logger) : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<ResourceInstance> _instances = [];
    private readonly List<ReplicaProxy> _proxies = [];
    private readonly List<Task> _runs = [];
    private int _stopped;

    public IReadOnlyList<ResourceInstance> Instances => _instances;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        RunDirectories.RemoveStale(paths);
        await eventing.PublishAsync(new BeforeStartEvent(services, model), cancellationToken);

        var launchers = new Dictionary<IResource, IResourceLauncher?>();
        foreach (var resource in model.Resources)
        {
            ThrowIfNotBuilt(resource);
            launchers[resource] = await runtimes.SelectAsync(resource);
        }

        var (endpoints, proxies) = EndpointAllocator.Allocate(model.Resources.Where(r => r is not ParameterResource), options.Value.RandomizePorts);
        foreach (var resource in model.Resources)
        {
            if (resource is ParameterResource parameter)
            {
                await PublishParameterAsync(parameter);
                continue;
            }

            if (launchers[resource] is not null)
            {
                LifecycleCommands.AddTo(resource, StartInstanceAsync, StopInstanceAsync, RestartInstanceAsync);
            }

            var perInstance = endpoints[resource];
            for (var index = 0; index < perInstance.Count; index++)
            {
                var name = perInstance.Count == 1 ? resource.Name : $"{resource.Name}-{index}";
                var instance = new ResourceInstance(resource, name, index, perInstance.Count, launchers[resource], perInstance[index]);
                _instances.Add(instance);
                await PublishAsync(instance, s => s with
                {
                    ResourceType = ResourceTypeOf(instance),
                    DisplayName = resource.Name,
                    ReplicaCount = perInstance.Count,
                    Urls = UrlsOf(instance),
                    Relationships = [.. resource.Annotations.OfType<ResourceRelationshipAnnotation>().Select(r => new RelationshipSnapshot(r.Resource.Name, r.Type)).Distinct()],
                    Properties = instance.Launcher is { } l ? [new ResourcePropertySnapshot("runtime", l.Runtime)] : [],
                    IsHidden = resource.Annotations.OfType<HiddenResourceAnnotation>().Any(),
                });
            }
        }

        foreach (var proxy in proxies)
        {
            var replicaProxy = new ReplicaProxy(proxy.PublicPort, () => RunningPorts(proxy), logger);
            replicaProxy.Start();
            _proxies.Add(replicaProxy);
        }

        var started = timeProvider.GetTimestamp();
        foreach (var instance in _instances)
        {
            _runs.Add(Task.Run(() => RunAsync(instance, _stopping.Token), CancellationToken.None));
        }

        _ = StartupReport.WriteWhenHealthyAsync(model, notifications, [.. _instances.Select(i => i.Resource.Name).Distinct()], paths, timeProvider, started, logger, _stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        await Task.WhenAll(_runs);

        // Dependants first, so services do not log errors about databases that vanished under them.
        foreach (var level in _instances.GroupBy(i => DependencyDepth(i.Resource)).OrderByDescending(g => g.Key))
        {
            await Task.WhenAll(level.Select(i => StopInstanceAsync(i, CancellationToken.None)));
        }

        foreach (var proxy in _proxies)
        {
            await proxy.DisposeAsync();
        }

        RunDirectories.Remove(paths);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _stopping.Dispose();
    }

    public async Task<ExecuteCommandResult> StartInstanceAsync(string instanceName, CancellationToken cancellationToken)
    {
        var instance = Find(instanceName);
        if (instance.IsRunning)
        {
            return new ExecuteCommandResult(false, $"Resource '{instanceName}' is already running.");
        }

        await StartInstanceAsync(instance, cancellationToken);
        return ExecuteCommandResult.Ok;
    }

    public async Task<ExecuteCommandResult> StopInstanceAsync(string instanceName, CancellationToken cancellationToken)
    {
        await StopInstanceAsync(Find(instanceName), cancellationToken);
        return ExecuteCommandResult.Ok;
    }

    public async Task<ExecuteCommandResult> RestartInstanceAsync(string instanceName, CancellationToken cancellationToken)
    {
        var instance = Find(instanceName);
        await StopInstanceAsync(instance, cancellationToken);
        await StartInstanceAsync(instance, cancellationToken);
        return ExecuteCommandResult.Ok;
    }

    private async Task RunAsync(ResourceInstance instance, CancellationToken cancellationToken)
    {
        try
        {
            var dependencies = ModelValidator.WaitDependencies(instance.Resource).ToList();
            if (dependencies.Count > 0)
            {
                await PublishAsync(instance, s => s with { State = KnownResourceStates.Waiting, StateStyle = "info" });
                foreach (var dependency in dependencies)
                {
                    await WaitForAsync(instance, dependency, cancellationToken);
                }
            }

            await StartInstanceAsync(instance, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The application is stopping.
        }
        catch (DistributedApplicationException ex)
        {
            await FailAsync(instance, ex.Message);
        }
    }

    private async Task WaitForAsync(ResourceInstance instance, IResource dependency, CancellationToken cancellationToken)
    {
        var waitType = instance.Resource.Annotations.OfType<WaitAnnotation>().FirstOrDefault(w => ReferenceEquals(w.Resource, dependency))?.WaitType
            ?? WaitType.WaitUntilHealthy;
        logger.LogDebug("Resource {Resource} waits for {Dependency}", instance.Name, dependency.Name);
        if (waitType == WaitType.WaitUntilHealthy)
        {
            await notifications.WaitForResourceHealthyAsync(dependency.Name, cancellationToken);
            return;
        }

        var finished = await notifications.WaitForResourceAsync(dependency.Name,
            e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State), cancellationToken);
        if (finished.Snapshot.ExitCode is not 0)
        {
            throw new DistributedApplicationException(
                $"Resource '{instance.Name}' waits for '{dependency.Name}' to complete successfully, but it ended {finished.Snapshot.State} (exit code {finished.Snapshot.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}).");
        }
    }

    private async Task StartInstanceAsync(ResourceInstance instance, CancellationToken cancellationToken)
    {
        await instance.Gate.WaitAsync(cancellationToken);
        try
        {
            if (instance.IsRunning || _stopping.IsCancellationRequested)
            {
                return;
            }

            instance.StopRequested = false;
            await PublishAsync(instance, s => s with
            {
                State = KnownResourceStates.Starting,
                StateStyle = "info",
                ExitCode = null,
                StopTimeStamp = null,
                HealthStatus = null,
                HealthReports = [],
            });
            await eventing.PublishAsync(new BeforeResourceStartedEvent(instance.Resource, services), cancellationToken);

            ImmutableArray<EnvironmentVariableSnapshot> environmentSnapshot = [];
            int? processId = null;
            if (instance.Launcher is { } resourceLauncher)
            {
                var variables = await environment.ResolveEnvironmentAsync(instance, cancellationToken);
                var arguments = await environment.ResolveArgumentsAsync(instance, cancellationToken);
                var spec = await resourceLauncher.CreateProcessSpecAsync(
                    new LaunchContext(instance.Resource, instance.Name, instance.Endpoints, variables, arguments, (line, isError) => logs.AddLine(instance.Name, line, isError)),
                    cancellationToken);
                var process = await ManagedProcess.StartAsync(launcher, spec, (line, isError) => logs.AddLine(instance.Name, line, isError));
                instance.Process = process;
                instance.ExitHandled = HandleExitAsync(instance, process);
                processId = process.Id;
                environmentSnapshot = [.. variables.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => new EnvironmentVariableSnapshot(v.Key, v.Value, IsFromSpec: true))];
                logger.LogInformation("Started {Resource} ({Runtime}, pid {ProcessId})", instance.Name, resourceLauncher.Runtime, process.Id);
            }

            instance.IsRunning = true;
            instance.RunLifetime = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            await PublishAsync(instance, s => s with
            {
                State = KnownResourceStates.Running,
                StateStyle = "success",
                ProcessId = processId,
                StartTimeStamp = timeProvider.GetUtcNow().UtcDateTime,
                EnvironmentVariables = environmentSnapshot,
            });
            _ = health.MonitorAsync(instance, instance.RunLifetime.Token);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested || _stopping.IsCancellationRequested)
        {
            await PublishAsync(instance, s => s with { State = KnownResourceStates.NotStarted, StateStyle = null });
        }
        catch (Exception ex)
        {
            await FailAsync(instance, ex is DistributedApplicationException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            instance.Gate.Release();
        }
    }

    private async Task StopInstanceAsync(ResourceInstance instance, CancellationToken cancellationToken)
    {
        await instance.Gate.WaitAsync(cancellationToken);
        try
        {
            if (!instance.IsRunning)
            {
                return;
            }

            instance.StopRequested = true;
            await PublishAsync(instance, s => s with { State = KnownResourceStates.Stopping, StateStyle = "info" });
            await (instance.RunLifetime?.CancelAsync() ?? Task.CompletedTask);
            if (instance.Process is { } process)
            {
                await process.StopAsync(options.Value.ShutdownTimeout);
                await instance.ExitHandled;
            }
            else
            {
                instance.IsRunning = false;
                await PublishAsync(instance, s => s with
                {
                    State = KnownResourceStates.Exited,
                    StateStyle = null,
                    HealthStatus = null,
                    StopTimeStamp = timeProvider.GetUtcNow().UtcDateTime,
                });
            }
        }
        finally
        {
            instance.Gate.Release();
        }
    }

    private async Task HandleExitAsync(ResourceInstance instance, ManagedProcess process)
    {
        var exitCode = await process.Exited;
        instance.IsRunning = false;
        instance.Process = null;
        await (instance.RunLifetime?.CancelAsync() ?? Task.CompletedTask);

        var state = !instance.StopRequested && exitCode == 0 ? KnownResourceStates.Finished : KnownResourceStates.Exited;
        await PublishAsync(instance, s => s with
        {
            State = state,
            StateStyle = instance.StopRequested || exitCode == 0 ? null : "error",
            ExitCode = exitCode,
            HealthStatus = null,
            StopTimeStamp = timeProvider.GetUtcNow().UtcDateTime,
        });

        if (!instance.StopRequested)
        {
            var tail = logs.GetLines(instance.Name).TakeLast(10).Select(l => l.Content);
            logger.LogWarning("Resource {Resource} exited with code {ExitCode}; the rest keep running. Last output:{NewLine}{Output}",
                instance.Name, exitCode, Environment.NewLine, string.Join(Environment.NewLine, tail));
        }

        await process.DisposeAsync();
    }

    private async Task FailAsync(ResourceInstance instance, string message)
    {
        logs.AddLine(instance.Name, message, isError: true);
        logger.LogError("Resource {Resource} failed to start: {Message}", instance.Name, message);
        await PublishAsync(instance, s => s with { State = KnownResourceStates.FailedToStart, StateStyle = "error" });
    }

    private Task PublishAsync(ResourceInstance instance, Func<CustomResourceSnapshot, CustomResourceSnapshot> update) =>
        notifications.PublishUpdateAsync(instance.Resource, instance.Name, s =>
        {
            var next = update(s);
            return next with { Commands = [.. instance.Resource.Annotations.OfType<ResourceCommandAnnotation>().Select(c => new ResourceCommandSnapshot(c.Name, c.DisplayName, c.UpdateState(next), c.IconName, c.IsHighlighted))] };
        });

    private Task PublishParameterAsync(ParameterResource parameter) =>
        notifications.PublishUpdateAsync(parameter, s => s with
        {
            State = KnownResourceStates.Running,
            StateStyle = "success",
            HealthStatus = Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy,
            Properties = [new ResourcePropertySnapshot("value", parameter.HasValue ? parameter.Value : null, IsSensitive: parameter.Secret)],
        });

    private ResourceInstance Find(string instanceName) =>
        _instances.FirstOrDefault(i => string.Equals(i.Name, instanceName, StringComparison.OrdinalIgnoreCase))
        ?? throw new DistributedApplicationException($"Resource '{instanceName}' does not exist.");

    private List<int> RunningPorts(ProxySpec proxy) =>
        [.. _instances.Where(i => ReferenceEquals(i.Resource, proxy.Resource) && i.IsRunning).Select(i => i.Endpoints[proxy.Endpoint.Name].Port)];

    private static int DependencyDepth(IResource resource) =>
        ModelValidator.WaitDependencies(resource).Select(DependencyDepth).DefaultIfEmpty(-1).Max() + 1;

    private static string ResourceTypeOf(ResourceInstance instance) => instance.Launcher switch
    {
        Launchers.ContainerLauncher => "Container",
        null => ResourceNotificationService.ResourceTypeName(instance.Resource),
        _ => instance.Resource is ProjectResource ? "Project" : "Executable",
    };

    private static ImmutableArray<UrlSnapshot> UrlsOf(ResourceInstance instance) =>
    [
        .. instance.Resource.Annotations.OfType<EndpointAnnotation>()
            .Where(e => e.AllocatedEndpoint is not null)
            .SelectMany(e => instance.Endpoints[e.Name].Port == e.AllocatedEndpoint!.Port
                ? new[] { new UrlSnapshot(e.Name, e.AllocatedEndpoint.UriString, IsInternal: false) }
                : [new UrlSnapshot(e.Name, e.AllocatedEndpoint.UriString, IsInternal: false), new UrlSnapshot(e.Name, instance.Endpoints[e.Name].UriString, IsInternal: true)]),
    ];

    private static void ThrowIfNotBuilt(IResource resource)
    {
        if (resource is ProjectResource project && !File.Exists(project.Metadata.TargetPath))
        {
            throw new DistributedApplicationException(
                $"Project '{project.Name}' has not been built: '{project.Metadata.TargetPath}' is missing. Build the solution (`dotnet build`) and start again.");
        }
    }
}

using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Publishing;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aspire.Hosting;

/// <summary>A built distributed application: start it, watch its resources, stop it.</summary>
public sealed class DistributedApplication : IHost, IAsyncDisposable
{
    private readonly IHost _host;
    private readonly List<Action> _disposeCallbacks = [];
    private int _stopping;

    internal DistributedApplication(IHost host)
    {
        _host = host;
    }

    public IServiceProvider Services => _host.Services;

    public ResourceNotificationService ResourceNotifications => Services.GetRequiredService<ResourceNotificationService>();

    public ResourceCommandService ResourceCommands => Services.GetRequiredService<ResourceCommandService>();

    public ResourceLoggerService ResourceLogs => Services.GetRequiredService<ResourceLoggerService>();

    public static IDistributedApplicationBuilder CreateBuilder() => CreateBuilder(new DistributedApplicationOptions());

    public static IDistributedApplicationBuilder CreateBuilder(string[] args) => CreateBuilder(new DistributedApplicationOptions { Args = args });

    public static IDistributedApplicationBuilder CreateBuilder(DistributedApplicationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var hooks = DistributedApplicationTestingHooks.Current;

        // Only a real AppHost's Main (no explicit assembly, no testing builder) turns model errors into a clean exit.
        if (hooks is null && options.Assembly is null)
        {
            ConsoleErrorReporter.Install();
        }

        hooks?.ConfigureOptions(options);
        return new DistributedApplicationBuilder(options);
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _host.StartAsync(cancellationToken);
        // Run waits for the lifetime and then stops the host. A started application (a test, a benchmark) has nobody
        // waiting: SIGTERM or Ctrl+C, which the console lifetime turns into StopApplication, would leave every
        // resource running in a process that no longer exits by itself. Stop them when the lifetime is stopped.
        Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => _ = StopAsync(CancellationToken.None));
    }

    /// <summary>Stops every resource; later calls (and the lifetime's own stop) do nothing more.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) =>
        Interlocked.Exchange(ref _stopping, 1) == 0 ? _host.StopAsync(cancellationToken) : Task.CompletedTask;

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            if (Services.GetRequiredService<DistributedApplicationExecutionContext>().IsPublishMode)
            {
                await Services.GetRequiredService<PublisherRunner>().PublishAsync(cancellationToken);
                return;
            }

            await _host.RunAsync(cancellationToken);
        }
        catch (DistributedApplicationException ex)
        {
            ConsoleErrorReporter.Report(ex);
        }
    }

    public void Run() => RunAsync().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        Volatile.Write(ref _stopping, 1);
        if (_host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            _host.Dispose();
        }

        RunDisposeCallbacks();
    }

    public void Dispose()
    {
        Volatile.Write(ref _stopping, 1);
        _host.Dispose();
        RunDisposeCallbacks();
    }

    internal void AddDisposeCallback(Action callback) => _disposeCallbacks.Add(callback);

    private void RunDisposeCallbacks()
    {
        foreach (var callback in _disposeCallbacks)
        {
            callback();
        }

        _disposeCallbacks.Clear();
    }
}

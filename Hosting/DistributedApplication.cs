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

    public Task StartAsync(CancellationToken cancellationToken = default) => _host.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => _host.StopAsync(cancellationToken);

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

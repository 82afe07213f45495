using System.Runtime.CompilerServices;
using Aspire.Dashboard.Configuration;
using Aspire.Dashboard.Otlp.Storage;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using Proto = Aspire.DashboardService.Proto.V1;

namespace Aspire.Dashboard.ResourceService;

public enum ResourceServiceState
{
    Standalone,
    Connecting,
    Connected,
    Disconnected,
}

public sealed record CommandResult(bool Succeeded, string? ErrorMessage);

// The dashboard's side of the AppHost's resource service: keeps a live copy of the resources,
// streams console logs and runs commands. Without a configured URL the dashboard is standalone.
public sealed partial class DashboardClient : ChangeNotifier, IHostedService, IDisposable
{
    private const string ApiKeyHeader = "x-resource-service-api-key";
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ResourceViewModel> _resources = new(StringComparer.OrdinalIgnoreCase);
    private readonly GrpcChannel? _channel;
    private readonly Proto.DashboardService.DashboardServiceClient? _client;
    private readonly Metadata _headers = [];
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<DashboardClient> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _watch;

    public DashboardClient(IOptions<DashboardOptions> options, TimeProvider timeProvider, ILogger<DashboardClient> logger)
    {
        _timeProvider = timeProvider;
        _logger = logger;
        var client = options.Value.ResourceServiceClient;
        if (client.Url is { } url)
        {
            _channel = GrpcChannel.ForAddress(url, new GrpcChannelOptions { MaxReceiveMessageSize = 32 * 1024 * 1024 });
            _client = new Proto.DashboardService.DashboardServiceClient(_channel);
            if (client.AuthMode == ResourceClientAuthMode.ApiKey)
            {
                _headers.Add(ApiKeyHeader, client.ApiKey!);
            }

            State = ResourceServiceState.Connecting;
        }
    }

    public bool IsEnabled => _client is not null;
    public ResourceServiceState State { get; private set; } = ResourceServiceState.Standalone;
    public string? ApplicationName { get; private set; }

    public IReadOnlyList<ResourceViewModel> GetResources()
    {
        lock (_lock)
        {
            return [.. _resources.Values.OrderBy(r => r.DisplayName, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.Name, StringComparer.OrdinalIgnoreCase)];
        }
    }

    public ResourceViewModel? GetResource(string name)
    {
        lock (_lock)
        {
            return _resources.GetValueOrDefault(name);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_client is not null)
        {
            _watch = Task.Run(() => WatchResourcesAsync(_client, _stopping.Token), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_watch is not null)
        {
            await _watch.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public async IAsyncEnumerable<IReadOnlyList<ConsoleLine>> WatchConsoleLogsAsync(string resourceName, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (_client is null)
        {
            yield break;
        }

        using var call = _client.WatchResourceConsoleLogs(new Proto.WatchResourceConsoleLogsRequest { ResourceName = resourceName }, _headers, cancellationToken: cancellationToken);
        await foreach (var update in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            yield return [.. update.LogLines.Select(l => ConsoleLine.Parse(l.LineNumber, l.Text, l.HasIsStdErr && l.IsStdErr))];
        }
    }

    public async Task<CommandResult> ExecuteCommandAsync(ResourceViewModel resource, string command, CancellationToken cancellationToken)
    {
        if (_client is null)
        {
            return new CommandResult(false, "The dashboard is not connected to a resource service.");
        }

        try
        {
            var response = await _client.ExecuteResourceCommandAsync(
                new Proto.ResourceCommandRequest { CommandName = command, ResourceName = resource.Name, ResourceType = resource.Type },
                _headers, cancellationToken: cancellationToken);
            return new CommandResult(response.Kind == Proto.ResourceCommandResponseKind.Succeeded,
                response.HasErrorMessage ? response.ErrorMessage : response.Kind == Proto.ResourceCommandResponseKind.Succeeded ? null : response.Kind.ToString());
        }
        catch (RpcException e)
        {
            return new CommandResult(false, e.Status.Detail);
        }
    }

    private async Task WatchResourcesAsync(Proto.DashboardService.DashboardServiceClient client, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        var reconnect = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var info = await client.GetApplicationInformationAsync(new Proto.ApplicationInformationRequest(), _headers, cancellationToken: cancellationToken);
                ApplicationName = info.ApplicationName;
                using var call = client.WatchResources(new Proto.WatchResourcesRequest { IsReconnect = reconnect }, _headers, cancellationToken: cancellationToken);
                await foreach (var update in call.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    Apply(update);
                    delay = TimeSpan.FromMilliseconds(250);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                LogDisconnected(e.StatusCode, e.Status.Detail);
            }

            State = ResourceServiceState.Disconnected;
            NotifyChanged();
            reconnect = true;
            await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }

    private void Apply(Proto.WatchResourcesUpdate update)
    {
        lock (_lock)
        {
            if (update.KindCase == Proto.WatchResourcesUpdate.KindOneofCase.InitialData)
            {
                _resources.Clear();
                foreach (var resource in update.InitialData.Resources)
                {
                    _resources[resource.Name] = ResourceViewModel.FromProto(resource);
                }
            }
            else if (update.KindCase == Proto.WatchResourcesUpdate.KindOneofCase.Changes)
            {
                foreach (var change in update.Changes.Value)
                {
                    if (change.KindCase == Proto.WatchResourcesChange.KindOneofCase.Upsert)
                    {
                        _resources[change.Upsert.Name] = ResourceViewModel.FromProto(change.Upsert);
                    }
                    else if (change.KindCase == Proto.WatchResourcesChange.KindOneofCase.Delete)
                    {
                        _resources.Remove(change.Delete.ResourceName);
                    }
                }
            }
        }

        State = ResourceServiceState.Connected;
        NotifyChanged();
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _channel?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the resource service ({StatusCode}: {Detail}); reconnecting")]
    private partial void LogDisconnected(StatusCode statusCode, string detail);
}

using Aspire.DashboardService.Proto.V1;
using Aspire.Hosting.ApplicationModel;
using Grpc.Core;
using Microsoft.Extensions.Hosting;

namespace Aspire.Hosting.Dashboard;

/// <summary>The gRPC resource service (Aspire's aspire.v1.DashboardService): resources, console logs and commands.</summary>
internal sealed class DashboardService(
    ResourceNotificationService notifications,
    ResourceLoggerService logs,
    ResourceCommandService commands,
    IHostEnvironment environment,
    IHostApplicationLifetime lifetime) : Aspire.DashboardService.Proto.V1.DashboardService.DashboardServiceBase
{
    public override Task<ApplicationInformationResponse> GetApplicationInformation(ApplicationInformationRequest request, ServerCallContext context) =>
        Task.FromResult(new ApplicationInformationResponse { ApplicationName = environment.ApplicationName });

    public override async Task WatchResources(WatchResourcesRequest request, IServerStreamWriter<WatchResourcesUpdate> responseStream, ServerCallContext context)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            var initial = new InitialResourceData();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var resourceEvent in notifications.GetCurrentStates())
            {
                initial.Resources.Add(ResourceSnapshotMapper.ToProto(resourceEvent));
                seen.Add($"{resourceEvent.ResourceId}:{resourceEvent.Snapshot.Version}");
            }

            await responseStream.WriteAsync(new WatchResourcesUpdate { InitialData = initial }, cancellation.Token);
            await foreach (var resourceEvent in notifications.WatchAsync(cancellation.Token))
            {
                if (seen.Remove($"{resourceEvent.ResourceId}:{resourceEvent.Snapshot.Version}"))
                {
                    continue;
                }

                var changes = new WatchResourcesChanges();
                changes.Value.Add(new WatchResourcesChange { Upsert = ResourceSnapshotMapper.ToProto(resourceEvent) });
                await responseStream.WriteAsync(new WatchResourcesUpdate { Changes = changes }, cancellation.Token);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // The dashboard disconnected or the AppHost is stopping: the stream simply ends.
        }
    }

    public override async Task WatchResourceConsoleLogs(WatchResourceConsoleLogsRequest request, IServerStreamWriter<WatchResourceConsoleLogsUpdate> responseStream, ServerCallContext context)
    {
        if (!notifications.TryGetCurrentState(request.ResourceName, out _))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"Resource '{request.ResourceName}' does not exist."));
        }

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            await foreach (var batch in logs.WatchAsync(request.ResourceName, follow: !request.SuppressFollow, cancellation.Token))
            {
                var update = new WatchResourceConsoleLogsUpdate();
                foreach (var line in batch)
                {
                    update.LogLines.Add(new ConsoleLogLine
                    {
                        LineNumber = line.LineNumber,
                        IsStdErr = line.IsErrorMessage,
                        Text = $"{line.Timestamp.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ} {line.Content}",
                    });
                }

                await responseStream.WriteAsync(update, cancellation.Token);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // The dashboard disconnected or the AppHost is stopping.
        }
    }

    public override async Task<ResourceCommandResponse> ExecuteResourceCommand(ResourceCommandRequest request, ServerCallContext context)
    {
        var result = await commands.ExecuteCommandAsync(request.ResourceName, request.CommandName, context.CancellationToken);
        var response = new ResourceCommandResponse { Kind = result.Success ? ResourceCommandResponseKind.Succeeded : ResourceCommandResponseKind.Failed };
        if (result.ErrorMessage is { } error)
        {
            response.ErrorMessage = error;
        }

        return response;
    }
}

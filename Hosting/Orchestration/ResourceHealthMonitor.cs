using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Eventing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aspire.Hosting.Orchestration;

/// <summary>
/// Probes a running instance: every 100 ms until it is first healthy (so dependants start promptly), then at the
/// configured interval, and every second while it is unhealthy again. The first healthy result of each run raises
/// <see cref="ResourceReadyEvent"/>.
/// </summary>
internal sealed class ResourceHealthMonitor(
    IServiceProvider services,
    ResourceNotificationService notifications,
    ResourceLoggerService logs,
    IDistributedApplicationEventing eventing,
    IOptions<HostingOptions> options,
    TimeProvider timeProvider,
    ILogger<ResourceHealthMonitor> logger)
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public Task MonitorAsync(ResourceInstance instance, CancellationToken cancellationToken) => Task.Run(async () =>
    {
        try
        {
            await LoopAsync(instance, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run ended.
        }
    }, CancellationToken.None);

    private async Task LoopAsync(ResourceInstance instance, CancellationToken cancellationToken)
    {
        var checks = instance.Resource.Annotations.OfType<HealthCheckAnnotation>().ToList();
        var context = new ResourceHealthCheckContext(instance.Resource, instance.Name, instance.Endpoints, services);
        var everHealthy = false;
        HealthStatus? last = null;

        while (!cancellationToken.IsCancellationRequested)
        {
            var reports = await Task.WhenAll(checks.Select(check => RunAsync(check, context, cancellationToken)));
            var status = reports.Length == 0 ? HealthStatus.Healthy : reports.Min(r => r.Status ?? HealthStatus.Unhealthy);
            cancellationToken.ThrowIfCancellationRequested();

            await notifications.PublishUpdateAsync(instance.Resource, instance.Name, s => s with { HealthStatus = status, HealthReports = [.. reports] });
            if (status != last && last is not null)
            {
                logger.LogInformation("Resource {Resource} is {Status}", instance.Name, status);
            }

            last = status;
            if (status == HealthStatus.Healthy && !everHealthy)
            {
                everHealthy = true;
                await RaiseReadyAsync(instance, cancellationToken);
            }

            if (checks.Count == 0)
            {
                return;
            }

            var delay = !everHealthy ? TimeSpan.FromMilliseconds(100) : status == HealthStatus.Healthy ? options.Value.HealthCheckInterval : TimeSpan.FromSeconds(1);
            await Task.Delay(delay, timeProvider, cancellationToken);
        }
    }

    private async Task RaiseReadyAsync(ResourceInstance instance, CancellationToken cancellationToken)
    {
        try
        {
            await eventing.PublishAsync(new ResourceReadyEvent(instance.Resource, services), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logs.AddLine(instance.Name, $"A ready handler failed: {ex.Message}", isError: true);
            logger.LogError(ex, "A ready handler of resource {Resource} failed", instance.Name);
        }
    }

    private async Task<HealthReportSnapshot> RunAsync(HealthCheckAnnotation check, ResourceHealthCheckContext context, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CheckTimeout);
        HealthCheckResult result;
        try
        {
            result = await check.Check(context, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            result = HealthCheckResult.Unhealthy($"No answer within {CheckTimeout.TotalSeconds:0} s.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            result = HealthCheckResult.Unhealthy(ex.Message, ex);
        }

        return new HealthReportSnapshot(check.Key, result.Status, result.Description, result.Exception?.Message, timeProvider.GetUtcNow().UtcDateTime);
    }
}

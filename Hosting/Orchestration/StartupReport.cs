using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting.Orchestration;

/// <summary>Once every resource is healthy, tells the user so, how long it took, and where to reach the services.</summary>
internal static class StartupReport
{
    public static async Task WriteWhenHealthyAsync(DistributedApplicationModel model, ResourceNotificationService notifications, IReadOnlyList<string> resources,
        AppHostPaths paths, TimeProvider timeProvider, long started, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(resources.Select(name => notifications.WaitForResourceHealthyAsync(name, cancellationToken)));
        }
        catch (OperationCanceledException)
        {
            return;
        }

        logger.LogInformation("All {Count} resources are healthy after {Elapsed:0.00} s", resources.Count, timeProvider.GetElapsedTime(started).TotalSeconds);
        foreach (var (resource, endpoint) in model.Resources
                     .SelectMany(r => r.Annotations.OfType<EndpointAnnotation>().Select(e => (Resource: r, Endpoint: e)))
                     .Where(x => x.Endpoint.UriScheme is "http" or "https" && x.Endpoint.AllocatedEndpoint is not null))
        {
            logger.LogInformation("{Resource} ({Endpoint}): {Url}", resource.Name, endpoint.Name, endpoint.AllocatedEndpoint!.UriString);
        }

        logger.LogInformation("Data directory: {DataDirectory}. Press Ctrl+C to stop", paths.DataDirectory);
    }
}

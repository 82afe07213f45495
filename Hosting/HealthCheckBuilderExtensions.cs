using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting;

public static class HealthCheckBuilderExtensions
{
    /// <summary>Probes <paramref name="path"/> on each instance; the resource is healthy when it answers with the expected status.</summary>
    public static IResourceBuilder<T> WithHttpHealthCheck<T>(this IResourceBuilder<T> builder, string? path = null, int? statusCode = null, string? endpointName = null)
        where T : IResourceWithEndpoints
    {
        path ??= "/";
        if (!path.StartsWith('/'))
        {
            throw new ArgumentException($"The health check path '{path}' must start with '/'.", nameof(path));
        }

        var endpoint = endpointName ?? builder.Resource.Annotations.OfType<EndpointAnnotation>().FirstOrDefault(e => e.UriScheme is "http" or "https")?.Name
            ?? throw new DistributedApplicationException($"Resource '{builder.Resource.Name}' has no HTTP endpoint to health-check. Add one with WithHttpEndpoint() first.");
        var expected = statusCode ?? 200;

        return builder.WithAnnotation(new HealthCheckAnnotation($"{builder.Resource.Name}_{endpoint}_{path}", async (context, cancellationToken) =>
        {
            if (!context.Endpoints.TryGetValue(endpoint, out var allocated))
            {
                return HealthCheckResult.Unhealthy($"Endpoint '{endpoint}' is not allocated.");
            }

            var client = context.Services.GetRequiredService<IHttpClientFactory>().CreateClient("aspire-health-checks");
            using var response = await client.GetAsync(new Uri(new Uri(allocated.UriString), path), cancellationToken);
            return (int)response.StatusCode == expected
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"GET {path} answered {(int)response.StatusCode}; expected {expected}.");
        })
        {
            HttpPath = path,
        });
    }

    public static IResourceBuilder<T> WithHealthCheck<T>(this IResourceBuilder<T> builder, string key,
        Func<ResourceHealthCheckContext, CancellationToken, Task<HealthCheckResult>> check) where T : IResource
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(check);
        return builder.WithAnnotation(new HealthCheckAnnotation(key, check));
    }
}

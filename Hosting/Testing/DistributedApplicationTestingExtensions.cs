using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace Aspire.Hosting.Testing;

public static class DistributedApplicationTestingExtensions
{
    /// <summary>An HttpClient whose BaseAddress is the resource's endpoint (its first HTTP endpoint by default).</summary>
    public static HttpClient CreateHttpClient(this DistributedApplication app, string resourceName, string? endpointName = null) =>
        new() { BaseAddress = app.GetEndpoint(resourceName, endpointName) };

    public static Uri GetEndpoint(this DistributedApplication app, string resourceName, string? endpointName = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        var resource = FindResource(app, resourceName);
        var endpoints = resource.Annotations.OfType<EndpointAnnotation>().ToList();
        var endpoint = (endpointName is null
                ? endpoints.FirstOrDefault(e => e.UriScheme is "http" or "https") ?? endpoints.FirstOrDefault()
                : endpoints.FirstOrDefault(e => string.Equals(e.Name, endpointName, StringComparison.OrdinalIgnoreCase)))
            ?? throw new ArgumentException($"Resource '{resourceName}' has no endpoint{(endpointName is null ? "" : $" named '{endpointName}'")}.", nameof(endpointName));
        var allocated = endpoint.AllocatedEndpoint
            ?? throw new InvalidOperationException($"Endpoint '{endpoint.Name}' of '{resourceName}' is not allocated; start the application first.");
        return new Uri(allocated.UriString);
    }

    public static async Task<string?> GetConnectionStringAsync(this DistributedApplication app, string resourceName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        return FindResource(app, resourceName) is IResourceWithConnectionString resource
            ? await resource.GetConnectionStringAsync(cancellationToken)
            : throw new ArgumentException($"Resource '{resourceName}' has no connection string.", nameof(resourceName));
    }

    private static IResource FindResource(DistributedApplication app, string resourceName) =>
        app.Services.GetRequiredService<DistributedApplicationModel>().Find(resourceName)
        ?? throw new ArgumentException($"Resource '{resourceName}' is not in the application model.", nameof(resourceName));
}

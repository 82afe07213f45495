using System.Net.Sockets;
using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

public static class EndpointBuilderExtensions
{
    /// <summary>
    /// Adds an endpoint. <paramref name="port"/> is the port others connect to (allocated when null);
    /// <paramref name="targetPort"/> is what the process listens on; <paramref name="env"/> names an environment
    /// variable that receives the port the process must listen on.
    /// </summary>
    public static IResourceBuilder<T> WithEndpoint<T>(this IResourceBuilder<T> builder, int? port = null, int? targetPort = null, string? scheme = null,
        string? name = null, string? env = null, bool isProxied = true, bool? isExternal = null) where T : IResourceWithEndpoints
    {
        var annotation = new EndpointAnnotation(ProtocolType.Tcp, uriScheme: scheme, name: name, port: port, targetPort: targetPort,
            isExternal: isExternal ?? false, isProxied: isProxied);
        if (builder.Resource.Annotations.OfType<EndpointAnnotation>().Any(e => string.Equals(e.Name, annotation.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new DistributedApplicationException(
                $"Resource '{builder.Resource.Name}' already has an endpoint named '{annotation.Name}'. Give the new endpoint another name, or change the existing one with WithEndpoint(\"{annotation.Name}\", e => ...).");
        }

        builder.WithAnnotation(annotation);
        if (env is not null && builder.Resource is IResourceWithEnvironment)
        {
            builder.Resource.Annotations.Add(new EnvironmentCallbackAnnotation(context =>
            {
                if (context.InstanceEndpoints.TryGetValue(annotation.Name, out var allocated))
                {
                    context.EnvironmentVariables[env] = allocated.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                return Task.CompletedTask;
            }));
        }

        return builder;
    }

    public static IResourceBuilder<T> WithHttpEndpoint<T>(this IResourceBuilder<T> builder, int? port = null, int? targetPort = null, string? name = null,
        string? env = null, bool isProxied = true) where T : IResourceWithEndpoints =>
        builder.WithEndpoint(port, targetPort, "http", name, env, isProxied);

    /// <summary>Changes an existing endpoint (for example the one a project's launch profile declares).</summary>
    public static IResourceBuilder<T> WithEndpoint<T>(this IResourceBuilder<T> builder, string endpointName, Action<EndpointAnnotation> configure) where T : IResourceWithEndpoints
    {
        ArgumentNullException.ThrowIfNull(configure);
        var endpoint = builder.Resource.Annotations.OfType<EndpointAnnotation>().SingleOrDefault(e => e.Name == endpointName)
            ?? throw new DistributedApplicationException($"Resource '{builder.Resource.Name}' has no endpoint named '{endpointName}'.");
        configure(endpoint);
        return builder;
    }

    /// <summary>Marks every HTTP endpoint as reachable from outside (the deployment publishers expose them).</summary>
    public static IResourceBuilder<T> WithExternalHttpEndpoints<T>(this IResourceBuilder<T> builder) where T : IResourceWithEndpoints
    {
        foreach (var endpoint in builder.Resource.Annotations.OfType<EndpointAnnotation>().Where(e => e.UriScheme is "http" or "https"))
        {
            endpoint.IsExternal = true;
        }

        return builder;
    }

    public static EndpointReference GetEndpoint<T>(this IResourceBuilder<T> builder, string name) where T : IResourceWithEndpoints =>
        new(builder.Resource, name);
}

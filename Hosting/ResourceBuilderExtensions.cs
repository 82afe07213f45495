using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

public static class ResourceBuilderExtensions
{
    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, string? value) where T : IResourceWithEnvironment
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return builder.WithAnnotation(new EnvironmentCallbackAnnotation(name, () => value));
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, Func<string> value) where T : IResourceWithEnvironment
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        return builder.WithAnnotation(new EnvironmentCallbackAnnotation(name, () => value()));
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, IResourceBuilder<ParameterResource> parameter) where T : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return builder.WithEnvironmentValue(name, parameter.Resource, parameter.Resource);
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, EndpointReference endpoint) where T : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return builder.WithEnvironmentValue(name, endpoint, endpoint.Resource);
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, ReferenceExpression value) where T : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(value);
        builder.WithEnvironmentValue(name, value, null);
        foreach (var resource in ValueReferences.ResourcesOf(value))
        {
            builder.WithRelationship(resource, "Reference");
        }

        return builder;
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, IResourceBuilder<IResourceWithConnectionString> resource) where T : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(resource);
        return builder.WithEnvironmentValue(name, resource.Resource, resource.Resource);
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, Action<EnvironmentCallbackContext> callback) where T : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(callback);
        return builder.WithAnnotation(new EnvironmentCallbackAnnotation(context =>
        {
            callback(context);
            return Task.CompletedTask;
        }));
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, Func<EnvironmentCallbackContext, Task> callback) where T : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(callback);
        return builder.WithAnnotation(new EnvironmentCallbackAnnotation(callback));
    }

    public static IResourceBuilder<T> WithArgs<T>(this IResourceBuilder<T> builder, params string[] args) where T : IResourceWithArgs =>
        builder.WithArgs([.. args.Cast<object>()]);

    public static IResourceBuilder<T> WithArgs<T>(this IResourceBuilder<T> builder, params object[] args) where T : IResourceWithArgs
    {
        ArgumentNullException.ThrowIfNull(args);
        foreach (var resource in args.SelectMany(ValueReferences.ResourcesOf))
        {
            builder.WithRelationship(resource, "Reference");
        }

        return builder.WithAnnotation(new CommandLineArgsCallbackAnnotation(context =>
        {
            context.Args.AddRange(args);
            return Task.CompletedTask;
        }));
    }

    public static IResourceBuilder<T> WithArgs<T>(this IResourceBuilder<T> builder, Func<CommandLineArgsCallbackContext, Task> callback) where T : IResourceWithArgs
    {
        ArgumentNullException.ThrowIfNull(callback);
        return builder.WithAnnotation(new CommandLineArgsCallbackAnnotation(callback));
    }

    /// <summary>Injects <c>ConnectionStrings__{name}</c> (Aspire's convention) with the resource's connection string.</summary>
    public static IResourceBuilder<TDestination> WithReference<TDestination>(this IResourceBuilder<TDestination> builder,
        IResourceBuilder<IResourceWithConnectionString> source, string? connectionName = null)
        where TDestination : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(source);
        var resource = source.Resource;
        var variable = resource.ConnectionStringEnvironmentVariable ?? $"ConnectionStrings__{connectionName ?? resource.Name}";
        return builder.WithEnvironmentValue(variable, resource, resource);
    }

    /// <summary>Injects <c>services__{name}__{endpoint}__0</c> for every endpoint, so <c>http://{name}</c> resolves through service discovery.</summary>
    public static IResourceBuilder<TDestination> WithReference<TDestination>(this IResourceBuilder<TDestination> builder,
        IResourceBuilder<IResourceWithServiceDiscovery> source)
        where TDestination : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(source);
        var resource = source.Resource;
        builder.WithRelationship(resource, "Reference");
        return builder.WithAnnotation(new EnvironmentCallbackAnnotation(context =>
        {
            foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>())
            {
                context.EnvironmentVariables[$"services__{resource.Name}__{endpoint.Name}__0"] = new EndpointReference(resource, endpoint.Name);
            }

            return Task.CompletedTask;
        }));
    }

    /// <summary>Injects <c>services__{resource}__{endpoint}__0</c> for one endpoint.</summary>
    public static IResourceBuilder<TDestination> WithReference<TDestination>(this IResourceBuilder<TDestination> builder, EndpointReference endpoint)
        where TDestination : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return builder.WithEnvironmentValue($"services__{endpoint.Resource.Name}__{endpoint.EndpointName}__0", endpoint, endpoint.Resource);
    }

    /// <summary>Keeps the resource in the Waiting state until <paramref name="dependency"/> is running and healthy.</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResource> dependency) where T : IResourceWithWaitSupport
    {
        ArgumentNullException.ThrowIfNull(dependency);
        builder.WithRelationship(dependency.Resource, "WaitFor");
        return builder.WithAnnotation(new WaitAnnotation(dependency.Resource));
    }

    /// <summary>Keeps the resource in the Waiting state until <paramref name="dependency"/> has run to completion with exit code 0.</summary>
    public static IResourceBuilder<T> WaitForCompletion<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResource> dependency) where T : IResourceWithWaitSupport
    {
        ArgumentNullException.ThrowIfNull(dependency);
        builder.WithRelationship(dependency.Resource, "WaitFor");
        return builder.WithAnnotation(new WaitAnnotation(dependency.Resource, WaitType.WaitForCompletion));
    }

    public static IResourceBuilder<T> WithRelationship<T>(this IResourceBuilder<T> builder, IResource resource, string type) where T : IResource
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentException.ThrowIfNullOrEmpty(type);
        if (builder.Resource.Annotations.OfType<ResourceRelationshipAnnotation>().Any(r => ReferenceEquals(r.Resource, resource) && r.Type == type))
        {
            return builder;
        }

        return builder.WithAnnotation(new ResourceRelationshipAnnotation(resource, type));
    }

    private static IResourceBuilder<T> WithEnvironmentValue<T>(this IResourceBuilder<T> builder, string name, object value, IResource? referenced)
        where T : IResource
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (referenced is not null)
        {
            builder.WithRelationship(referenced, "Reference");
        }

        return builder.WithAnnotation(new EnvironmentCallbackAnnotation(name, () => value));
    }
}

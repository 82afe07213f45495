namespace Aspire.Hosting.ApplicationModel;

/// <summary>Contributes environment variables when a resource instance starts.</summary>
public sealed class EnvironmentCallbackAnnotation(Func<EnvironmentCallbackContext, Task> callback) : IResourceAnnotation
{
    public EnvironmentCallbackAnnotation(string name, Func<object?> value)
        : this(context =>
        {
            context.EnvironmentVariables[name] = value();
            return Task.CompletedTask;
        })
    {
    }

    public Func<EnvironmentCallbackContext, Task> Callback { get; } = callback;
}

/// <summary>
/// Values are strings or <see cref="IValueProvider"/>s (parameters, endpoints, connection strings,
/// <see cref="ReferenceExpression"/>s) resolved just before the process starts.
/// </summary>
public sealed class EnvironmentCallbackContext(DistributedApplicationExecutionContext executionContext, IResource resource, Dictionary<string, object?>? environmentVariables = null)
{
    public DistributedApplicationExecutionContext ExecutionContext { get; } = executionContext;

    public IResource Resource { get; } = resource;

    public Dictionary<string, object?> EnvironmentVariables { get; } = environmentVariables ?? new(StringComparer.Ordinal);

    /// <summary>The replica being started (<c>worker-1</c>), or the resource name when it has one instance.</summary>
    public string? InstanceName { get; init; }

    /// <summary>The endpoints of the instance being started, by endpoint name (what the process itself listens on).</summary>
    public IReadOnlyDictionary<string, AllocatedEndpoint> InstanceEndpoints { get; init; } = new Dictionary<string, AllocatedEndpoint>();

    public CancellationToken CancellationToken { get; init; }

    public IServiceProvider Services { get; init; } = EmptyServiceProvider.Instance;
}

internal sealed class EmptyServiceProvider : IServiceProvider
{
    public static EmptyServiceProvider Instance { get; } = new();

    public object? GetService(Type serviceType) => null;
}

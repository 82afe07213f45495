namespace Aspire.Hosting.ApplicationModel;

/// <summary>Contributes command-line arguments when a resource instance starts.</summary>
public sealed class CommandLineArgsCallbackAnnotation(Func<CommandLineArgsCallbackContext, Task> callback) : IResourceAnnotation
{
    public Func<CommandLineArgsCallbackContext, Task> Callback { get; } = callback;
}

/// <summary>Arguments are strings or <see cref="IValueProvider"/>s resolved just before the process starts.</summary>
public sealed class CommandLineArgsCallbackContext(DistributedApplicationExecutionContext executionContext, IResource resource, List<object> args)
{
    public DistributedApplicationExecutionContext ExecutionContext { get; } = executionContext;

    public IResource Resource { get; } = resource;

    public List<object> Args { get; } = args;

    public CancellationToken CancellationToken { get; init; }
}

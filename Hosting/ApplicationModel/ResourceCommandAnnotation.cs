namespace Aspire.Hosting.ApplicationModel;

/// <summary>A command the dashboard (or a test) can run on a resource instance, such as stop or restart.</summary>
public sealed record ResourceCommandAnnotation(
    string Name,
    string DisplayName,
    Func<ExecuteCommandContext, Task<ExecuteCommandResult>> ExecuteCommand,
    Func<CustomResourceSnapshot, ResourceCommandState> UpdateState,
    string? IconName = null,
    bool IsHighlighted = false) : IResourceAnnotation;

public enum ResourceCommandState
{
    Enabled,
    Disabled,
    Hidden,
}

public sealed record ExecuteCommandContext(string ResourceName, IServiceProvider ServiceProvider, CancellationToken CancellationToken);

public sealed record ExecuteCommandResult(bool Success, string? ErrorMessage = null)
{
    public static ExecuteCommandResult Ok { get; } = new(true);
}

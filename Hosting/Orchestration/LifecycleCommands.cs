using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting.Orchestration;

/// <summary>Aspire's start, stop and restart commands for resources the orchestrator runs as processes.</summary>
internal static class LifecycleCommands
{
    public static void AddTo(IResource resource,
        Func<string, CancellationToken, Task<ExecuteCommandResult>> start,
        Func<string, CancellationToken, Task<ExecuteCommandResult>> stop,
        Func<string, CancellationToken, Task<ExecuteCommandResult>> restart)
    {
        if (resource.Annotations.OfType<ResourceCommandAnnotation>().Any(c => c.Name == KnownResourceCommands.StopCommand))
        {
            return;
        }

        resource.Annotations.Add(new ResourceCommandAnnotation(KnownResourceCommands.StartCommand, "Start",
            c => start(c.ResourceName, c.CancellationToken),
            s => IsRunning(s) || s.State == KnownResourceStates.Stopping ? ResourceCommandState.Hidden
                : s.State == KnownResourceStates.Waiting ? ResourceCommandState.Disabled : ResourceCommandState.Enabled,
            "Play", IsHighlighted: true));
        resource.Annotations.Add(new ResourceCommandAnnotation(KnownResourceCommands.StopCommand, "Stop",
            c => stop(c.ResourceName, c.CancellationToken),
            s => IsRunning(s) ? ResourceCommandState.Enabled : s.State == KnownResourceStates.Stopping ? ResourceCommandState.Disabled : ResourceCommandState.Hidden,
            "Stop", IsHighlighted: true));
        resource.Annotations.Add(new ResourceCommandAnnotation(KnownResourceCommands.RestartCommand, "Restart",
            c => restart(c.ResourceName, c.CancellationToken),
            s => s.State == KnownResourceStates.Running ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
            "ArrowCounterclockwise"));
    }

    private static bool IsRunning(CustomResourceSnapshot snapshot) => snapshot.State is KnownResourceStates.Running or KnownResourceStates.Starting;
}

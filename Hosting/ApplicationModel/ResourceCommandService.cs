namespace Aspire.Hosting.ApplicationModel;

/// <summary>Aspire's names for the built-in lifecycle commands of process-backed resources.</summary>
public static class KnownResourceCommands
{
    public const string StartCommand = "resource-start";
    public const string StopCommand = "resource-stop";
    public const string RestartCommand = "resource-restart";

    /// <summary>Accepts the short forms <c>start</c>, <c>stop</c> and <c>restart</c> too.</summary>
    internal static string Normalize(string commandName) => commandName switch
    {
        "start" => StartCommand,
        "stop" => StopCommand,
        "restart" => RestartCommand,
        _ => commandName,
    };
}

/// <summary>Runs resource commands (stop, start, restart...) for the dashboard and for tests.</summary>
public sealed class ResourceCommandService(ResourceNotificationService notifications, IServiceProvider services)
{
    /// <summary>
    /// Runs the command on one instance (<c>worker-1</c>) or, given a resource name with replicas (<c>worker</c>), on every
    /// instance of it.
    /// </summary>
    public async Task<ExecuteCommandResult> ExecuteCommandAsync(string resourceId, string commandName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceId);
        ArgumentException.ThrowIfNullOrEmpty(commandName);
        var states = notifications.GetCurrentStates();
        var targets = states.Where(e => string.Equals(e.ResourceId, resourceId, StringComparison.OrdinalIgnoreCase)).ToList();
        if (targets.Count == 0)
        {
            targets = [.. states.Where(e => string.Equals(e.Resource.Name, resourceId, StringComparison.OrdinalIgnoreCase))];
        }

        if (targets.Count == 0)
        {
            return new ExecuteCommandResult(false, $"Resource '{resourceId}' does not exist.");
        }

        var name = KnownResourceCommands.Normalize(commandName);
        var command = targets[0].Resource.Annotations.OfType<ResourceCommandAnnotation>().FirstOrDefault(c => c.Name == name);
        if (command is null)
        {
            var available = targets[0].Resource.Annotations.OfType<ResourceCommandAnnotation>().Select(c => c.Name).ToList();
            return new ExecuteCommandResult(false,
                $"Resource '{resourceId}' has no command '{commandName}'." + (available.Count > 0 ? $" Available: {string.Join(", ", available)}." : ""));
        }

        foreach (var target in targets)
        {
            var result = await command.ExecuteCommand(new ExecuteCommandContext(target.ResourceId, services, cancellationToken));
            if (!result.Success)
            {
                return result;
            }
        }

        return ExecuteCommandResult.Ok;
    }
}

using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Processes;

namespace Aspire.Hosting.Orchestration.Launchers;

internal sealed class ExecutableLauncher : IResourceLauncher
{
    public string Runtime => "process";

    public Task<ProcessSpec> CreateProcessSpecAsync(LaunchContext context, CancellationToken cancellationToken)
    {
        var executable = (ExecutableResource)context.Resource;
        var command = Path.IsPathRooted(executable.Command) || !executable.Command.Contains('/', StringComparison.Ordinal)
            ? executable.Command
            : Path.GetFullPath(Path.Combine(executable.WorkingDirectory, executable.Command));
        if (!Directory.Exists(executable.WorkingDirectory))
        {
            throw new DistributedApplicationException($"Resource '{executable.Name}': the working directory '{executable.WorkingDirectory}' does not exist.");
        }

        if (ProcessLauncher.FindOnPath(command) is null && !File.Exists(command))
        {
            throw new DistributedApplicationException($"Resource '{executable.Name}': the command '{executable.Command}' was not found on PATH or in '{executable.WorkingDirectory}'.");
        }

        return Task.FromResult(new ProcessSpec(command, context.Arguments)
        {
            WorkingDirectory = executable.WorkingDirectory,
            Environment = context.Environment,
        });
    }
}

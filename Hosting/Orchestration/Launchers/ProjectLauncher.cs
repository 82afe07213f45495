using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Processes;

namespace Aspire.Hosting.Orchestration.Launchers;

/// <summary>Runs a project's built assembly with <c>dotnet</c>, from the project directory (its content root).</summary>
internal sealed class ProjectLauncher : IResourceLauncher
{
    public string Runtime => "process";

    public Task<ProcessSpec> CreateProcessSpecAsync(LaunchContext context, CancellationToken cancellationToken)
    {
        var project = (ProjectResource)context.Resource;
        var assembly = project.Metadata.TargetPath;
        if (!File.Exists(assembly))
        {
            throw new DistributedApplicationException(
                $"Project '{project.Name}' has not been built: '{assembly}' is missing. Build the solution (`dotnet build`) and start again.");
        }

        return Task.FromResult(new ProcessSpec("dotnet", [assembly, .. context.Arguments])
        {
            WorkingDirectory = Path.GetDirectoryName(project.Metadata.ProjectPath),
            Environment = context.Environment,
        });
    }
}

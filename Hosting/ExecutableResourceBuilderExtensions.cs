using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

public static class ExecutableResourceBuilderExtensions
{
    /// <summary>Adds any program as a resource; <paramref name="workingDirectory"/> is relative to the AppHost directory.</summary>
    public static IResourceBuilder<ExecutableResource> AddExecutable(this IDistributedApplicationBuilder builder, string name, string command,
        string workingDirectory, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(command);
        ArgumentNullException.ThrowIfNull(workingDirectory);
        var directory = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, workingDirectory));
        var executable = builder.AddResource(new ExecutableResource(name, command, directory));
        return args.Length == 0 ? executable : executable.WithArgs(args);
    }
}

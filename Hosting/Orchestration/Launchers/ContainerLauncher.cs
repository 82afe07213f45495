using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Processes;

namespace Aspire.Hosting.Orchestration.Launchers;

/// <summary>
/// Runs a container in the foreground through the engine's CLI (<c>docker run --rm</c>): its output is the
/// container's log, and the stop signal is proxied to the container. Secrets travel as environment variables of the
/// CLI process (<c>-e NAME</c>), never on its command line.
/// </summary>
internal sealed class ContainerLauncher(string engine, AppHostPaths paths, ProcessLauncher launcher) : IResourceLauncher
{
    public const string AppHostLabel = "io.aspire.apphost";

    public string Runtime => $"container ({engine})";

    public async Task<ProcessSpec> CreateProcessSpecAsync(LaunchContext context, CancellationToken cancellationToken)
    {
        var resource = context.Resource;
        var image = resource.Annotations.OfType<ContainerImageAnnotation>().Last();
        var containerName = $"{context.InstanceName}-{paths.AppKey}";

        // A container left behind by an AppHost that was killed outright would hold the name (and the port).
        await ManagedProcess.RunAsync(launcher, new ProcessSpec(engine, ["rm", "--force", containerName]), (_, _) => { }, cancellationToken);

        List<string> args = ["run", "--rm", "--name", containerName, "--label", $"{AppHostLabel}={paths.AppKey}"];

        foreach (var endpoint in context.Endpoints.Values)
        {
            var target = endpoint.Endpoint.TargetPort ?? endpoint.Port;
            args.AddRange(["-p", $"127.0.0.1:{endpoint.Port}:{target}"]);
        }

        foreach (var name in context.Environment.Keys)
        {
            args.AddRange(["-e", name]);
        }

        foreach (var mount in resource.Annotations.OfType<ContainerMountAnnotation>())
        {
            args.AddRange(["-v", $"{mount.Source}:{mount.Target}{(mount.IsReadOnly ? ":ro" : "")}"]);
        }

        args.Add(image.FullName);
        args.AddRange(context.Arguments);
        return new ProcessSpec(engine, args) { Environment = context.Environment };
    }
}

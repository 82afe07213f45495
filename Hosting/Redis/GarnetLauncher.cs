using System.Text.Json.Nodes;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Orchestration;
using Aspire.Hosting.Processes;

namespace Aspire.Hosting.Redis;

/// <summary>
/// Runs Garnet (Microsoft's Redis-compatible server, a .NET tool) from the repository's tool manifest, restoring it
/// with `dotnet tool restore` when the package is not in the NuGet cache yet.
/// </summary>
internal sealed class GarnetLauncher(string manifestDirectory, string version, AppHostPaths paths, ProcessLauncher launcher) : IResourceLauncher
{
    private const string PackageId = "garnet-server";

    public string Runtime => $"garnet {version}";

    public static GarnetLauncher? TryCreate(string appHostDirectory, AppHostPaths paths, ProcessLauncher launcher)
    {
        for (var directory = new DirectoryInfo(appHostDirectory); directory is not null; directory = directory.Parent)
        {
            var manifest = Path.Combine(directory.FullName, ".config", "dotnet-tools.json");
            if (File.Exists(manifest) && JsonNode.Parse(File.ReadAllText(manifest))?["tools"]?[PackageId]?["version"]?.GetValue<string>() is { } version)
            {
                return new GarnetLauncher(directory.FullName, version, paths, launcher);
            }
        }

        return null;
    }

    public async Task<ProcessSpec> CreateProcessSpecAsync(LaunchContext context, CancellationToken cancellationToken)
    {
        var redis = (RedisResource)context.Resource;
        var server = FindServerAssembly() ?? await RestoreAsync(context.Log, cancellationToken);

        var volume = redis.Annotations.OfType<ContainerMountAnnotation>().FirstOrDefault();
        DataDirectories.EnsureTraversable(paths.RunDirectory);
        var configFile = Path.Combine(paths.RunDirectory, $"{context.InstanceName}.garnet.conf");
        var config = new JsonObject
        {
            ["AuthenticationMode"] = "Password",
            ["Password"] = redis.PasswordParameter.Value,
            ["EnableLua"] = true,
        };
        await File.WriteAllTextAsync(configFile, config.ToJsonString(), cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(configFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        List<string> args =
        [
            server,
            "--config-import-path", configFile,
            "--port", context.Endpoints[RedisResource.PrimaryEndpointName].Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--memory", "256m",
            "--index", "16m",
        ];
        if (volume is not null)
        {
            var dataDirectory = paths.VolumePath(volume.Source);
            DataDirectories.EnsureTraversable(dataDirectory);
            args.AddRange(["--checkpointdir", dataDirectory, "--logdir", dataDirectory, "--aof", "--recover"]);
        }

        return new ProcessSpec("dotnet", args) { WorkingDirectory = paths.RunDirectory };
    }

    private string? FindServerAssembly()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var tools = Path.Combine(packages, PackageId, version, "tools");
        return Directory.Exists(tools)
            ? Directory.GetFiles(tools, "GarnetServer.dll", SearchOption.AllDirectories).OrderByDescending(f => f, StringComparer.Ordinal).FirstOrDefault()
            : null;
    }

    private async Task<string> RestoreAsync(Action<string, bool> log, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await ManagedProcess.RunAsync(launcher,
            new ProcessSpec("dotnet", ["tool", "restore"]) { WorkingDirectory = manifestDirectory }, log, cancellationToken);
        return exitCode == 0 && FindServerAssembly() is { } server
            ? server
            : throw new DistributedApplicationException($"Could not restore {PackageId} {version} with `dotnet tool restore` in '{manifestDirectory}': {output}");
    }
}

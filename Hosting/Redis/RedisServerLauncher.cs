using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Orchestration;
using Aspire.Hosting.Processes;

namespace Aspire.Hosting.Redis;

/// <summary>Runs redis-server (or valkey-server) on loopback; the password goes in a private config file, not the command line.</summary>
internal sealed class RedisServerLauncher(string serverPath, AppHostPaths paths) : IResourceLauncher
{
    public string Runtime => Path.GetFileName(serverPath);

    public static RedisServerLauncher? TryCreate(AppHostPaths paths) =>
        (ProcessLauncher.FindOnPath("redis-server") ?? ProcessLauncher.FindOnPath("valkey-server")) is { } path ? new RedisServerLauncher(path, paths) : null;

    public async Task<ProcessSpec> CreateProcessSpecAsync(LaunchContext context, CancellationToken cancellationToken)
    {
        var redis = (RedisResource)context.Resource;
        var volume = redis.Annotations.OfType<ContainerMountAnnotation>().FirstOrDefault();
        var dataDirectory = volume is null ? Path.Combine(paths.RunDirectory, $"{context.InstanceName}-data") : paths.VolumePath(volume.Source);
        DataDirectories.EnsureTraversable(dataDirectory);

        var configFile = Path.Combine(paths.RunDirectory, $"{context.InstanceName}.conf");
        DataDirectories.EnsureTraversable(paths.RunDirectory);
        await File.WriteAllTextAsync(configFile, $"requirepass \"{redis.PasswordParameter.Value}\"\n", cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(configFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return new ProcessSpec(serverPath,
        [
            configFile,
            "--port", context.Endpoints[RedisResource.PrimaryEndpointName].Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1", "-::1",
            "--protected-mode", "yes",
            "--dir", dataDirectory,
            "--save", volume is null ? "" : "60 1",
            "--appendonly", "no",
        ])
        {
            WorkingDirectory = dataDirectory,
        };
    }
}

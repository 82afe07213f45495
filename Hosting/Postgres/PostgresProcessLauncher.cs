using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Orchestration;
using Aspire.Hosting.Processes;

namespace Aspire.Hosting.Postgres;

/// <summary>
/// Runs PostgreSQL from the machine's server binaries: initdb (scram-sha-256, the generated password) on first use of
/// the data directory, then the postmaster on loopback without a Unix socket. As root, both run as an unprivileged
/// account that owns the data directory, because PostgreSQL refuses to run as root.
/// </summary>
internal sealed class PostgresProcessLauncher(PostgresBinaries binaries, ProcessLauncher launcher, AppHostPaths paths, string? runAsUser) : IResourceLauncher
{
    public string Runtime => $"process (PostgreSQL {binaries.MajorVersion})";

    public async Task<ProcessSpec> CreateProcessSpecAsync(LaunchContext context, CancellationToken cancellationToken)
    {
        var server = (PostgresServerResource)context.Resource;
        var port = context.Endpoints[PostgresServerResource.PrimaryEndpointName].Port;
        var volume = server.Annotations.OfType<ContainerMountAnnotation>().FirstOrDefault();
        var dataDirectory = volume is null
            ? Path.Combine(paths.RunDirectory, $"{context.InstanceName}-data")
            : volume.Type == ContainerMountType.Volume ? paths.VolumePath(volume.Source) : Path.GetFullPath(volume.Source);

        DataDirectories.EnsureTraversable(Path.GetDirectoryName(dataDirectory)!);
        if (File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            await CheckVersionAsync(server, dataDirectory, cancellationToken);
        }
        else
        {
            await InitializeAsync(server, dataDirectory, persistent: volume is not null, context.Log, cancellationToken);
        }

        await ChownAsync(dataDirectory, context.Log, cancellationToken);
        return new ProcessSpec(binaries.Postgres,
        [
            "-D", dataDirectory,
            "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c", "listen_addresses=127.0.0.1,::1",
            "-c", "unix_socket_directories=",
            "-c", "max_connections=300",
        ])
        {
            WorkingDirectory = dataDirectory,
            RunAsUser = runAsUser,
            StopSignal = UnixSignal.Interrupt,
        };
    }

    private async Task InitializeAsync(PostgresServerResource server, string dataDirectory, bool persistent, Action<string, bool> log, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        var passwordFile = dataDirectory + ".pwfile";
        await File.WriteAllTextAsync(passwordFile, server.PasswordParameter.Value, cancellationToken);
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            await ChownAsync(passwordFile, log, cancellationToken);
            await ChownAsync(dataDirectory, log, cancellationToken);
            List<string> args = ["-D", dataDirectory, "-U", server.UserName, "--auth=scram-sha-256", $"--pwfile={passwordFile}", "-E", "UTF8", "--no-locale"];
            if (!persistent)
            {
                args.Add("--no-sync");
            }

            var (exitCode, output) = await ManagedProcess.RunAsync(launcher,
                new ProcessSpec(binaries.InitDb, args) { RunAsUser = runAsUser, WorkingDirectory = dataDirectory }, log, cancellationToken);
            if (exitCode != 0)
            {
                throw new DistributedApplicationException($"Resource '{server.Name}': initdb failed with exit code {exitCode} for '{dataDirectory}':{Environment.NewLine}{output}");
            }
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    private async Task CheckVersionAsync(PostgresServerResource server, string dataDirectory, CancellationToken cancellationToken)
    {
        var text = (await File.ReadAllTextAsync(Path.Combine(dataDirectory, "PG_VERSION"), cancellationToken)).Trim();
        if (!int.TryParse(text, out var version) || version != binaries.MajorVersion)
        {
            throw new DistributedApplicationException(
                $"Resource '{server.Name}': the data directory '{dataDirectory}' was created by PostgreSQL {text}, but this machine runs PostgreSQL {binaries.MajorVersion}. " +
                $"Delete the directory to start afresh, or install PostgreSQL {text}.");
        }
    }

    private async Task ChownAsync(string path, Action<string, bool> log, CancellationToken cancellationToken)
    {
        if (runAsUser is null)
        {
            return;
        }

        var (exitCode, output) = await ManagedProcess.RunAsync(launcher, new ProcessSpec("chown", ["-R", $"{runAsUser}:", path]), log, cancellationToken);
        if (exitCode != 0)
        {
            throw new DistributedApplicationException($"Could not give '{path}' to the '{runAsUser}' account: {output}");
        }
    }
}

using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration.UserSecrets;

namespace Aspire.Hosting;

/// <summary>Where this AppHost keeps its data: volumes, per-run scratch directories and generated secrets.</summary>
internal sealed class AppHostPaths
{
    public AppHostPaths(HostingOptions options, string applicationName, string appHostDirectory, Assembly? appHostAssembly)
    {
        AppKey = ComputeAppKey(applicationName, appHostDirectory);
        DataDirectory = Path.GetFullPath(options.DataDirectory ?? DefaultDataRoot(AppKey));
        RunDirectory = Path.Combine(DataDirectory, "run", $"{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
        SecretsFile = options.SecretsFile is { } file
            ? Path.GetFullPath(file)
            : appHostAssembly?.GetCustomAttribute<UserSecretsIdAttribute>() is { } id
                ? PathHelper.GetSecretsPathFromSecretsId(id.UserSecretsId)
                : Path.Combine(DataDirectory, "secrets.json");
    }

    /// <summary>Stable per AppHost project: <c>{app}-{hash of its directory}</c>, like Aspire's volume name prefix.</summary>
    public string AppKey { get; }

    public string DataDirectory { get; }

    public string SecretsFile { get; }

    public string VolumesDirectory => Path.Combine(DataDirectory, "volumes");

    /// <summary>Scratch space of this run (<c>run/{pid}-{random}</c>), removed when it stops, or by the next run if it was killed.</summary>
    public string RunDirectory { get; }

    public string VolumePath(string volumeName) => Path.Combine(VolumesDirectory, volumeName);

    // Root's home is not traversable by the unprivileged accounts some servers must run as, so root uses /var/lib.
    private static string DefaultDataRoot(string appKey)
    {
        if (!OperatingSystem.IsWindows() && Environment.UserName == "root")
        {
            return Path.Combine("/var/lib/aspire-hosting", appKey);
        }

        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrEmpty(dataHome))
        {
            dataHome = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        }

        return Path.Combine(dataHome, "aspire-hosting", appKey);
    }

    public static string ComputeAppKey(string applicationName, string appHostDirectory) =>
        $"{new string([.. applicationName.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')])}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(appHostDirectory)))[..10]}";
}

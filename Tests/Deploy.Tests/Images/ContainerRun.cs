using Deploy.Tests.Infrastructure;

namespace Deploy.Tests.Images;

/// <summary>
/// Runs an image the way a container runtime would, without one: its layers unpacked into a root file system, the
/// entrypoint started there (unshare --root) as the image's user, in its working directory, with its environment
/// only, /proc, /dev, /etc/hosts and /etc/resolv.conf mounted in a private mount namespace as container runtimes do.
/// The network is the host's, so tests override ports.
/// Needs root, as CI has (.ci/run).
/// </summary>
public static class ContainerRun
{
    private const string Launcher = """
        root=$1 wd=$2 uid=$3 gid=$4; shift 4
        mkdir -p "$root/proc" "$root/dev" && touch "$root/etc/hosts" "$root/etc/resolv.conf"
        mount -t proc proc "$root/proc" && mount --rbind /dev "$root/dev" &&
        mount --bind /etc/hosts "$root/etc/hosts" && mount --bind /etc/resolv.conf "$root/etc/resolv.conf" &&
        exec unshare --root="$root" --wd="$wd" --setgid "$gid" --setuid "$uid" -- "$@"
        """;

    public static async Task<BackgroundProcess> StartAsync(OciImage image, string rootfs, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        Assert.True(System.Environment.IsPrivilegedProcess, "Running an image needs root (mount and chroot in a private namespace); run the tests as root, as .ci/run does.");
        foreach (var layer in image.Layers)
        {
            var (exitCode, output) = await Tool.Tar.RunAsync(rootfs, cancellationToken, "--same-owner", "-xzf", layer, "-C", rootfs);
            Assert.True(exitCode == 0, $"Unpacking {layer} failed: {output}");
        }

        var user = image.RunAs.Split(':');
        var env = image.Environment.ToDictionary();
        foreach (var (name, value) in environment)
        {
            env[name] = value;
        }
        return BackgroundProcess.Start(Tool.Unshare.Path, rootfs, env, clearEnvironment: true,
            ["--mount", "--propagation", "private", "/bin/sh", "-c", Launcher, "launcher", rootfs, image.WorkingDirectory,
             user[0], user.Length > 1 ? user[1] : user[0], .. image.Command]);
    }
}

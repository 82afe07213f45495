using System.Reflection;
using Deploy.Tests.Infrastructure;

namespace Deploy.Tests.Images;

/// <summary>
/// The three images, published once by deploy/images/publish-images.sh from the builds the test project already has
/// (this test assembly's configuration, --no-build), into a temporary directory.
/// </summary>
public sealed class ContainerImages : IAsyncLifetime
{
    public static readonly string[] Repositories = ["api", "worker", "aspire-dashboard"];

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("deploy-tests-images-");
    private readonly Dictionary<string, OciImage> _images = [];

    public string PublishOutput { get; private set; } = "";

    public OciImage this[string repository] => _images[repository];

    public async Task InitializeAsync()
    {
        var configuration = typeof(ContainerImages).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var archives = Path.Combine(_directory.FullName, "archives");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        var (exitCode, output) = await Tool.Bash.RunAsync(Repository.Root, timeout.Token,
            Repository.PathOf("deploy", "images", "publish-images.sh"), "--configuration", configuration, "--no-build", "--output", archives);
        PublishOutput = output;
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"publish-images.sh exited with {exitCode}:\n{output}");
        }
        foreach (var repository in Repositories)
        {
            _images[repository] = OciImage.Open(Path.Combine(archives, $"{repository}.tar"), Path.Combine(_directory.FullName, repository));
        }
    }

    public Task DisposeAsync()
    {
        _directory.Delete(recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>A fresh directory for one test (a root file system to run an image in).</summary>
    public string NewDirectory(string name) => Directory.CreateDirectory(Path.Combine(_directory.FullName, "run", name + "-" + Guid.NewGuid().ToString("N")[..8])).FullName;
}

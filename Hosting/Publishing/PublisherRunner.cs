using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting.Publishing;

/// <summary>
/// Runs the publisher named by <c>--publisher</c>. Output is written to a staging directory beside
/// <c>--output-path</c> and moved into place only when complete, so a failure leaves nothing half-written.
/// </summary>
internal sealed class PublisherRunner(
    IEnumerable<IDistributedApplicationPublisher> publishers,
    DistributedApplicationModel model,
    DistributedApplicationExecutionContext executionContext,
    IConfiguration configuration,
    AppHostPaths paths,
    IServiceProvider services,
    IHostEnvironment environment,
    ILogger<PublisherRunner> logger)
{
    public async Task PublishAsync(CancellationToken cancellationToken)
    {
        var options = PublishingOptions.From(configuration);
        var publisher = publishers.FirstOrDefault(p => string.Equals(p.Name, options.Publisher, StringComparison.OrdinalIgnoreCase))
            ?? throw new DistributedApplicationException(
                $"Unknown publisher '{options.Publisher}'. Available publishers: {string.Join(", ", publishers.Select(p => p.Name))}.");
        if (string.IsNullOrWhiteSpace(options.OutputPath))
        {
            throw new DistributedApplicationException($"--output-path is required: the directory the {publisher.Name} publisher writes to (created if missing).");
        }

        var output = Path.GetFullPath(options.OutputPath);
        var namesFile = NamesSingleFile(publisher, output);
        if (File.Exists(output) && !namesFile)
        {
            throw new DistributedApplicationException($"The output path '{output}' is a file. Give a directory; it is created if missing.");
        }

        var outputDirectory = namesFile ? Path.GetDirectoryName(output)! : output;
        ParameterProcessor.Resolve(model.Resources.OfType<ParameterResource>(), configuration, new SecretsStore(paths.SecretsFile));

        var staging = Path.Combine(Path.GetDirectoryName(outputDirectory)!, $".{Path.GetFileName(outputDirectory)}.publishing-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            await publisher.PublishAsync(new PublishingContext(model, staging, outputDirectory, executionContext, services, environment.ApplicationName, options), cancellationToken);
            Directory.CreateDirectory(outputDirectory);
            foreach (var file in Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(staging, file);
                var target = namesFile && relative == publisher.SingleFileName ? output : Path.Combine(outputDirectory, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Move(file, target, overwrite: true);
            }
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }

        logger.LogInformation("Wrote the {Publisher} output to {OutputPath}", publisher.Name, output);
    }

    private static bool NamesSingleFile(IDistributedApplicationPublisher publisher, string outputPath) =>
        publisher.SingleFileName is { } fileName
        && string.Equals(Path.GetExtension(outputPath), Path.GetExtension(fileName), StringComparison.OrdinalIgnoreCase)
        && !Directory.Exists(outputPath);
}

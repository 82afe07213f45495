namespace Aspire.Hosting.Publishing;

/// <summary>Writes what a deployment tool consumes, from the application model, into a directory.</summary>
internal interface IDistributedApplicationPublisher
{
    string Name { get; }

    /// <summary>
    /// For a publisher that writes a single file: its name. Such a publisher also accepts an output path that names the
    /// file itself (azd passes <c>--output-path …/apphost-manifest.json</c>).
    /// </summary>
    string? SingleFileName => null;

    Task PublishAsync(PublishingContext context, CancellationToken cancellationToken);
}

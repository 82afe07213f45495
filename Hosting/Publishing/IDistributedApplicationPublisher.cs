namespace Aspire.Hosting.Publishing;

/// <summary>Writes what a deployment tool consumes, from the application model, into a directory.</summary>
internal interface IDistributedApplicationPublisher
{
    string Name { get; }

    Task PublishAsync(PublishingContext context, CancellationToken cancellationToken);
}

using Microsoft.Extensions.DependencyInjection;

namespace Aspire.Hosting.Publishing;

internal static class PublishingServiceCollectionExtensions
{
    public static IServiceCollection AddPublishing(this IServiceCollection services)
    {
        services.AddSingleton<IDistributedApplicationPublisher, ManifestPublisher>();
        services.AddSingleton<IDistributedApplicationPublisher, KubernetesPublisher>();
        services.AddSingleton<IDistributedApplicationPublisher, ComposePublisher>();
        services.AddSingleton<PublisherRunner>();
        return services;
    }
}

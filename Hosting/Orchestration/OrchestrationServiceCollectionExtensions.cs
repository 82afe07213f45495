using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Dashboard;
using Aspire.Hosting.Processes;
using Microsoft.Extensions.DependencyInjection;

namespace Aspire.Hosting.Orchestration;

internal static class OrchestrationServiceCollectionExtensions
{
    public static IServiceCollection AddOrchestration(this IServiceCollection services)
    {
        services.AddSingleton<ProcessLauncher>();
        services.AddSingleton<ContainerEngine>();
        services.AddSingleton<RuntimeSelector>();
        services.AddSingleton<InstanceEnvironment>();
        services.AddSingleton<ResourceHealthMonitor>();
        services.AddSingleton<OtlpEndpointResolver>();
        services.AddSingleton<ResourceCommandService>();
        services.AddSingleton<ApplicationOrchestrator>();
        services.AddHostedService<ConsoleOutputWriter>();
        services.AddSingleton<DashboardServiceHost>();
        services.AddHostedService(sp => sp.GetRequiredService<DashboardServiceHost>());
        services.AddHostedService(sp => sp.GetRequiredService<ApplicationOrchestrator>());
        services.AddHttpClient("aspire-health-checks", client => client.Timeout = TimeSpan.FromSeconds(5));
        return services;
    }
}

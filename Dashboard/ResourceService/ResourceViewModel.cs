using Proto = Aspire.DashboardService.Proto.V1;

namespace Aspire.Dashboard.ResourceService;

public sealed record ResourceUrl(string? EndpointName, string Url, bool IsInternal);

public sealed record ResourceEnvironmentVariable(string Name, string? Value, bool IsFromSpec);

public sealed record ResourceProperty(string Name, string Value, bool IsSensitive);

public sealed record ResourceCommandInfo(string Name, string DisplayName, string? ConfirmationMessage, bool IsEnabled);

// A resource as the AppHost's resource service reports it.
public sealed record ResourceViewModel(
    string Name,
    string DisplayName,
    string Type,
    string Uid,
    string State,
    string? HealthStatus,
    DateTime? CreatedAt,
    DateTime? StartedAt,
    DateTime? StoppedAt,
    int? ExitCode,
    int ReplicaCount,
    bool IsHidden,
    IReadOnlyList<ResourceUrl> Urls,
    IReadOnlyList<ResourceEnvironmentVariable> Environment,
    IReadOnlyList<ResourceProperty> Properties,
    IReadOnlyList<ResourceCommandInfo> Commands)
{
    public static ResourceViewModel FromProto(Proto.Resource resource) => new(
        resource.Name,
        string.IsNullOrEmpty(resource.DisplayName) ? resource.Name : resource.DisplayName,
        resource.ResourceType,
        resource.Uid,
        resource.HasState && resource.State.Length > 0 ? resource.State : "Unknown",
        resource.HasHealthStatus ? HealthName(resource.HealthStatus) : null,
        resource.CreatedAt?.ToDateTime(),
        resource.StartedAt?.ToDateTime(),
        resource.StoppedAt?.ToDateTime(),
        resource.HasExitCode ? resource.ExitCode : null,
        resource.ReplicaCount,
        resource.IsHidden,
        [.. resource.Urls.Where(u => !u.IsInactive).Select(u => new ResourceUrl(u.HasEndpointName ? u.EndpointName : null, u.FullUrl, u.IsInternal))],
        [.. resource.Environment.OrderBy(e => e.Name, StringComparer.Ordinal).Select(e => new ResourceEnvironmentVariable(e.Name, e.HasValue ? e.Value : null, e.IsFromSpec))],
        [.. resource.Properties.Select(p => new ResourceProperty(p.HasDisplayName ? p.DisplayName : p.Name, p.Value, p.HasIsSensitive && p.IsSensitive))],
        [.. resource.Commands.Where(c => c.State != Proto.ResourceCommandState.Hidden)
            .Select(c => new ResourceCommandInfo(c.Name, c.DisplayName, c.HasConfirmationMessage ? c.ConfirmationMessage : null, c.State == Proto.ResourceCommandState.Enabled))]);

    private static string HealthName(Proto.HealthStatus status) => status switch
    {
        Proto.HealthStatus.Healthy => "Healthy",
        Proto.HealthStatus.Degraded => "Degraded",
        _ => "Unhealthy",
    };
}

using Aspire.DashboardService.Proto.V1;
using Aspire.Hosting.ApplicationModel;
using Google.Protobuf.WellKnownTypes;
using ProtoHealthStatus = Aspire.DashboardService.Proto.V1.HealthStatus;
using ProtoResourceCommandState = Aspire.DashboardService.Proto.V1.ResourceCommandState;
using Resource = Aspire.DashboardService.Proto.V1.Resource;

namespace Aspire.Hosting.Dashboard;

/// <summary>Turns resource snapshots into the resource service's protobuf messages.</summary>
internal static class ResourceSnapshotMapper
{
    public static Resource ToProto(ResourceEvent resourceEvent)
    {
        var snapshot = resourceEvent.Snapshot;
        var resource = new Resource
        {
            Name = resourceEvent.ResourceId,
            DisplayName = snapshot.DisplayName ?? resourceEvent.Resource.Name,
            ResourceType = snapshot.ResourceType,
            Uid = resourceEvent.ResourceId,
            CreatedAt = Timestamp.FromDateTime(DateTime.SpecifyKind(snapshot.CreationTimeStamp, DateTimeKind.Utc)),
            IsHidden = snapshot.IsHidden,
            ReplicaCount = snapshot.ReplicaCount,
        };

        if (snapshot.State is { } state)
        {
            resource.State = state;
        }

        if (snapshot.StateStyle is { } style)
        {
            resource.StateStyle = style;
        }

        if (snapshot.StartTimeStamp is { } started)
        {
            resource.StartedAt = Timestamp.FromDateTime(DateTime.SpecifyKind(started, DateTimeKind.Utc));
        }

        if (snapshot.StopTimeStamp is { } stopped)
        {
            resource.StoppedAt = Timestamp.FromDateTime(DateTime.SpecifyKind(stopped, DateTimeKind.Utc));
        }

        if (snapshot.ExitCode is { } exitCode)
        {
            resource.ExitCode = exitCode;
        }

        if (snapshot.HealthStatus is { } health)
        {
            resource.HealthStatus = ToProto(health);
        }

        foreach (var variable in snapshot.EnvironmentVariables)
        {
            var proto = new EnvironmentVariable { Name = variable.Name, IsFromSpec = variable.IsFromSpec };
            if (variable.Value is not null)
            {
                proto.Value = variable.Value;
            }

            resource.Environment.Add(proto);
        }

        foreach (var url in snapshot.Urls)
        {
            resource.Urls.Add(new Url { EndpointName = url.Name, FullUrl = url.Url, IsInternal = url.IsInternal });
        }

        foreach (var property in snapshot.Properties)
        {
            resource.Properties.Add(new ResourceProperty { Name = property.Name, Value = property.Value ?? "", IsSensitive = property.IsSensitive });
        }

        if (snapshot.ProcessId is { } pid)
        {
            resource.Properties.Add(new ResourceProperty { Name = "executable.pid", DisplayName = "Process ID", Value = pid.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        foreach (var relationship in snapshot.Relationships)
        {
            resource.Relationships.Add(new ResourceRelationship { ResourceName = relationship.ResourceName, Type = relationship.Type });
        }

        foreach (var report in snapshot.HealthReports)
        {
            var proto = new HealthReport { Key = report.Name, Description = report.Description ?? "", Exception = report.ExceptionText ?? "" };
            if (report.Status is { } status)
            {
                proto.Status = ToProto(status);
            }

            if (report.LastRunAt is { } lastRun)
            {
                proto.LastRunAt = Timestamp.FromDateTime(DateTime.SpecifyKind(lastRun, DateTimeKind.Utc));
            }

            resource.HealthReports.Add(proto);
        }

        foreach (var command in snapshot.Commands)
        {
            var proto = new ResourceCommand
            {
                Name = command.Name,
                DisplayName = command.DisplayName,
                IsHighlighted = command.IsHighlighted,
                State = command.State switch
                {
                    ApplicationModel.ResourceCommandState.Enabled => ProtoResourceCommandState.Enabled,
                    ApplicationModel.ResourceCommandState.Disabled => ProtoResourceCommandState.Disabled,
                    _ => ProtoResourceCommandState.Hidden,
                },
            };
            if (command.IconName is { } icon)
            {
                proto.IconName = icon;
            }

            resource.Commands.Add(proto);
        }

        return resource;
    }

    private static ProtoHealthStatus ToProto(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus status) => status switch
    {
        Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy => ProtoHealthStatus.Healthy,
        Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded => ProtoHealthStatus.Degraded,
        _ => ProtoHealthStatus.Unhealthy,
    };
}

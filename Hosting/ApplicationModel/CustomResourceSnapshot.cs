using System.Collections.Immutable;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>An immutable picture of one resource instance, published on every change (the dashboard's feed).</summary>
public sealed record CustomResourceSnapshot
{
    public required string ResourceType { get; init; }

    public string? DisplayName { get; init; }

    public string? State { get; init; }

    /// <summary>How the state should look: "success", "warn", "error", "info".</summary>
    public string? StateStyle { get; init; }

    /// <summary>Null until the instance runs; then the worst of its health reports.</summary>
    public HealthStatus? HealthStatus { get; init; }

    public ImmutableArray<HealthReportSnapshot> HealthReports { get; init; } = [];

    public int? ExitCode { get; init; }

    public int? ProcessId { get; init; }

    public DateTime CreationTimeStamp { get; init; }

    public DateTime? StartTimeStamp { get; init; }

    public DateTime? StopTimeStamp { get; init; }

    public ImmutableArray<UrlSnapshot> Urls { get; init; } = [];

    public ImmutableArray<EnvironmentVariableSnapshot> EnvironmentVariables { get; init; } = [];

    public ImmutableArray<ResourcePropertySnapshot> Properties { get; init; } = [];

    public ImmutableArray<RelationshipSnapshot> Relationships { get; init; } = [];

    public ImmutableArray<ResourceCommandSnapshot> Commands { get; init; } = [];

    public int ReplicaCount { get; init; } = 1;

    public bool IsHidden { get; init; }

    public long Version { get; init; }
}

public sealed record HealthReportSnapshot(string Name, HealthStatus? Status, string? Description, string? ExceptionText, DateTime? LastRunAt);

public sealed record UrlSnapshot(string Name, string Url, bool IsInternal);

public sealed record EnvironmentVariableSnapshot(string Name, string? Value, bool IsFromSpec);

public sealed record ResourcePropertySnapshot(string Name, string? Value, bool IsSensitive = false);

public sealed record RelationshipSnapshot(string ResourceName, string Type);

public sealed record ResourceCommandSnapshot(string Name, string DisplayName, ResourceCommandState State, string? IconName, bool IsHighlighted);

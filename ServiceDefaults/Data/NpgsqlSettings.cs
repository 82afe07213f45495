namespace Aspire.Npgsql;

/// <summary>Aspire.Npgsql's settings, bound from <c>Aspire:Npgsql</c> and <c>Aspire:Npgsql:{connectionName}</c>.</summary>
public sealed class NpgsqlSettings
{
    public string? ConnectionString { get; set; }

    public bool DisableHealthChecks { get; set; }

    public bool DisableTracing { get; set; }

    public bool DisableMetrics { get; set; }
}

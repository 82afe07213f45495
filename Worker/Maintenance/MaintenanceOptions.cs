namespace Worker.Maintenance;

/// <summary>The elected worker's housekeeping. Section <c>Jobs:Maintenance</c>.</summary>
public sealed class MaintenanceOptions
{
    public const string Section = "Jobs:Maintenance";

    /// <summary>How often a non-leader tries to become leader, and the leader checks it still is.</summary>
    public TimeSpan ElectionInterval { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan RescueInterval { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan PromoteInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Finished jobs older than this are deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    public int BatchSize { get; set; } = 1000;

    public TimeSpan QueueDepthInterval { get; set; } = TimeSpan.FromSeconds(10);

    internal static IEnumerable<string> Validate(MaintenanceOptions o)
    {
        TimeSpan[] intervals = [o.ElectionInterval, o.RescueInterval, o.PromoteInterval, o.RetentionInterval, o.QueueDepthInterval];
        if (intervals.Any(i => i <= TimeSpan.Zero)) yield return "Maintenance intervals must be positive.";
        if (o.Retention <= TimeSpan.Zero) yield return "Retention must be positive.";
        if (o.BatchSize < 1) yield return "BatchSize must be at least 1.";
    }
}

namespace Worker.Maintenance;

/// <summary>One housekeeping task the elected worker runs on an interval; <see cref="RunOnceAsync"/> returns how many rows it handled.</summary>
public interface IMaintenanceService
{
    string Name { get; }

    TimeSpan Interval { get; }

    Task<int> RunOnceAsync(CancellationToken cancellationToken);
}

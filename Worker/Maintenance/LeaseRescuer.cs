using Jobs.Model;
using Jobs.Signals;
using Jobs.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Worker.Maintenance;

/// <summary>Hands jobs whose lease expired (their worker died or hung) back to the queue, or marks them dead.</summary>
public sealed class LeaseRescuer(NpgsqlDataSource dataSource, JobSignals signals, IOptions<MaintenanceOptions> options) : IMaintenanceService
{
    public string Name => "rescue";

    public TimeSpan Interval => options.Value.RescueInterval;

    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(JobsSql.RescueExpired);
        command.Parameters.Add(new() { Value = options.Value.BatchSize });
        var requeued = new HashSet<string>(StringComparer.Ordinal);
        var ids = new List<Guid>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetGuid(0));
                if (reader.GetString(2) == JobState.Queued)
                {
                    requeued.Add(reader.GetString(1));
                }
            }
        }
        foreach (var queue in requeued)
        {
            signals.PublishWake(queue);
        }
        signals.PublishChanged(ids);
        return ids.Count;
    }
}

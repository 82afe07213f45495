using Jobs.Signals;
using Jobs.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Worker.Maintenance;

/// <summary>Moves scheduled jobs and failed jobs awaiting retry to <c>queued</c> once their time has come.</summary>
public sealed class ScheduledPromoter(NpgsqlDataSource dataSource, JobSignals signals, IOptions<MaintenanceOptions> options) : IMaintenanceService
{
    public string Name => "promote";

    public TimeSpan Interval => options.Value.PromoteInterval;

    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(JobsSql.PromoteDue);
        command.Parameters.Add(new() { Value = options.Value.BatchSize });
        var queues = new HashSet<string>(StringComparer.Ordinal);
        var ids = new List<Guid>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetGuid(0));
                queues.Add(reader.GetString(1));
            }
        }
        foreach (var queue in queues)
        {
            signals.PublishWake(queue);
        }
        signals.PublishChanged(ids);
        return ids.Count;
    }
}

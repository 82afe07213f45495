using Jobs.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Worker.Maintenance;

/// <summary>Deletes finished jobs past the retention age, a small batch per statement so no delete holds locks for long.</summary>
public sealed class RetentionPruner(NpgsqlDataSource dataSource, IOptions<MaintenanceOptions> options) : IMaintenanceService
{
    private const int MaxBatchesPerRun = 20;

    public string Name => "retention";

    public TimeSpan Interval => options.Value.RetentionInterval;

    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        for (var i = 0; i < MaxBatchesPerRun; i++)
        {
            await using var command = dataSource.CreateCommand(JobsSql.PruneFinished);
            command.Parameters.Add(new() { Value = options.Value.Retention.TotalSeconds });
            command.Parameters.Add(new() { Value = options.Value.BatchSize });
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
            if (deleted < options.Value.BatchSize)
            {
                break;
            }
        }
        return total;
    }
}

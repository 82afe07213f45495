using Jobs.Storage;
using Jobs.Telemetry;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Worker.Maintenance;

/// <summary>Counts jobs per queue and state for the <c>jobs.queue.depth</c> gauge; only the leader reports, so series never double.</summary>
public sealed class QueueDepthSampler(NpgsqlDataSource dataSource, JobsTelemetry telemetry, IOptions<MaintenanceOptions> options) : IMaintenanceService
{
    public string Name => "queue-depth";

    public TimeSpan Interval => options.Value.QueueDepthInterval;

    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(JobsSql.QueueDepth);
        var depth = new List<(string, string, long)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            depth.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        }
        telemetry.SetQueueDepth(depth);
        return 0; // a sample, not work done: nothing to log
    }
}

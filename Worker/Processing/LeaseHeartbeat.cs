using Jobs.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Worker.Processing;

/// <summary>
/// Renews the leases of every job running here in one statement. A job missing from the answer was rescued by
/// another worker, so its handler is stopped here; a job flagged for cancellation is cancelled (the path that works
/// while Redis is down).
/// </summary>
public sealed partial class LeaseHeartbeat(
    NpgsqlDataSource dataSource,
    RunningJobs running,
    WorkerIdentity identity,
    TimeProvider timeProvider,
    IOptions<WorkerOptions> options,
    ILogger<LeaseHeartbeat> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Leases must stay fresh during the shutdown grace period too: on stop, the beat goes on until the last
        // running job has finished or been released, and ends at once when none is running.
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, timeProvider);
        while (!(stoppingToken.IsCancellationRequested && running.IsEmpty))
        {
            try
            {
                await timer.WaitForNextTickAsync(stoppingToken.IsCancellationRequested ? CancellationToken.None : stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                continue;
            }
            try
            {
                await RunOnceAsync(CancellationToken.None);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                LogFailed(ex);
            }
        }
    }

    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var ids = running.Ids();
        if (ids.Length == 0)
        {
            return 0;
        }
        await using var command = dataSource.CreateCommand(JobsSql.Heartbeat);
        command.Parameters.Add(new() { Value = ids });
        command.Parameters.Add(new() { Value = identity.Name });
        command.Parameters.Add(new() { Value = (long)options.Value.LeaseDuration.TotalMilliseconds });
        var renewed = new HashSet<Guid>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetGuid(0);
                renewed.Add(id);
                if (reader.GetBoolean(1))
                {
                    running.Stop(id, StopReason.CancelRequested);
                }
            }
        }
        foreach (var lost in ids.Where(id => !renewed.Contains(id)))
        {
            // Either it finished between the snapshot and the update, or its lease went to another worker.
            if (running.Stop(lost, StopReason.LeaseLost))
            {
                LogLeaseLost(lost);
            }
        }
        return renewed.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing job leases failed; retrying on the next beat")]
    private partial void LogFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the lease of job {JobId}; stopping it here")]
    private partial void LogLeaseLost(Guid jobId);
}

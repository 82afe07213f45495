using Jobs.Telemetry;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Worker.Maintenance;

/// <summary>
/// Elects one worker to run maintenance: whoever holds a session advisory lock. The lock lives on a dedicated
/// connection, so a leader that dies or loses its connection frees it for the next election.
/// </summary>
public sealed partial class MaintenanceLeader(
    NpgsqlDataSource dataSource,
    IEnumerable<IMaintenanceService> services,
    JobsTelemetry telemetry,
    TimeProvider timeProvider,
    IOptions<MaintenanceOptions> options,
    ILogger<MaintenanceLeader> logger) : BackgroundService
{
    private const long LockKey = 0x6a6f62735f6d6e74; // "jobs_mnt"

    public bool IsLeader { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                if (await TryLockAsync(connection, stoppingToken))
                {
                    await LeadAsync(connection, stoppingToken);
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                LogElectionFailed(ex);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            await Task.Delay(options.Value.ElectionInterval, timeProvider, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT pg_try_advisory_lock({LockKey})", connection);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    private async Task LeadAsync(NpgsqlConnection connection, CancellationToken stoppingToken)
    {
        IsLeader = true;
        LogElected();
        using var leadership = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var loops = services.Select(s => RunLoopAsync(s, leadership.Token)).ToList();
        try
        {
            // Stay leader while the lock's connection answers.
            await using var ping = new NpgsqlCommand("SELECT 1", connection);
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(options.Value.ElectionInterval, timeProvider, stoppingToken);
                await ping.ExecuteScalarAsync(stoppingToken);
            }
        }
        finally
        {
            IsLeader = false;
            await leadership.CancelAsync();
            await Task.WhenAll(loops);
            telemetry.SetQueueDepth([]);
            await UnlockAsync(connection);
        }
    }

    /// <summary>
    /// Gives up leadership before the connection returns to the pool, which does not reset sessions
    /// (<see cref="Jobs.Storage.JobsDataSource"/>). A broken connection has lost the lock already.
    /// </summary>
    private static async Task UnlockAsync(NpgsqlConnection connection)
    {
        try
        {
            await using var command = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", connection);
            await command.ExecuteScalarAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            // The session is gone, and its lock with it.
        }
    }

    private async Task RunLoopAsync(IMaintenanceService service, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var count = await service.RunOnceAsync(cancellationToken);
                if (count > 0)
                {
                    LogRan(service.Name, count);
                }
                await Task.Delay(service.Interval, timeProvider, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                LogServiceFailed(ex, service.Name);
                await Task.Delay(service.Interval, timeProvider, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "This worker was elected to run maintenance")]
    private partial void LogElected();

    [LoggerMessage(Level = LogLevel.Information, Message = "Maintenance {Service} handled {Count} jobs")]
    private partial void LogRan(string service, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Maintenance {Service} failed; retrying next interval")]
    private partial void LogServiceFailed(Exception exception, string service);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Maintenance election failed; retrying")]
    private partial void LogElectionFailed(Exception exception);
}

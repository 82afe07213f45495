using System.Threading.Channels;
using Jobs.Model;
using Jobs.Signals;
using Jobs.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Worker.Processing;

/// <summary>
/// Writes attempt outcomes in batches: whatever gathered while the previous write ran goes in the next single
/// statement, so an idle system writes at once and a busy one in large batches. Stopping flushes everything.
/// </summary>
public sealed partial class BatchCompleter(
    NpgsqlDataSource dataSource,
    WorkerIdentity identity,
    JobSignals signals,
    TimeProvider timeProvider,
    IOptions<WorkerOptions> options,
    ILogger<BatchCompleter> logger) : BackgroundService
{
    private readonly Channel<Completion> _channel = Channel.CreateUnbounded<Completion>(new() { SingleReader = true });
    private readonly WakeSignal _drained = new(timeProvider);
    private int _pending;

    public int Pending => Volatile.Read(ref _pending);

    public void Enqueue(Completion completion)
    {
        Interlocked.Increment(ref _pending);
        if (!_channel.Writer.TryWrite(completion))
        {
            throw new InvalidOperationException("The completer has stopped; the job stays leased and will be rescued.");
        }
    }

    /// <summary>Back-pressure: waits while the backlog of unwritten completions is over the limit.</summary>
    public async Task WaitForCapacityAsync(CancellationToken cancellationToken)
    {
        while (Pending >= options.Value.CompleterBacklogLimit)
        {
            await _drained.WaitAsync(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _channel.Writer.TryComplete();
        if (ExecuteTask is not null)
        {
            await ExecuteTask.WaitAsync(cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Completion>(options.Value.CompleterBatchSize);
        // Reads until the channel is completed in StopAsync, so nothing queued before stop is lost.
        while (await _channel.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < options.Value.CompleterBatchSize && _channel.Reader.TryRead(out var completion))
            {
                batch.Add(completion);
            }
            await FlushWithRetryAsync(batch);
            Interlocked.Add(ref _pending, -batch.Count);
            batch.Clear();
            _drained.Set();
        }
    }

    private const int MaxFlushAttempts = 10;

    private async Task FlushWithRetryAsync(List<Completion> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var written = await FlushAsync(batch);
                if (written < batch.Count)
                {
                    LogLost(batch.Count - written);
                }
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                if (attempt == MaxFlushAttempts)
                {
                    // The leases run out and the rescuer runs these jobs again: at least once, never lost.
                    LogDropped(ex, batch.Count);
                    return;
                }
                LogRetry(ex, batch.Count, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), timeProvider);
            }
        }
    }

    internal async Task<int> FlushAsync(IReadOnlyList<Completion> batch)
    {
        await using var command = dataSource.CreateCommand(JobsSql.CompleteMany);
        command.Parameters.Add(new() { Value = batch.Select(c => c.Id).ToArray() });
        command.Parameters.Add(new() { Value = batch.Select(c => (short)c.Attempt).ToArray() });
        command.Parameters.Add(new() { Value = batch.Select(c => c.State).ToArray() });
        command.Parameters.Add(new() { Value = batch.Select(c => c.ResultJson).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = batch.Select(c => c.ErrorMessage).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = batch.Select(c => c.ErrorType).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = batch.Select(c => c.RetryMs).ToArray() });
        command.Parameters.Add(new() { Value = identity.Name });
        var written = new List<Guid>(batch.Count);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                written.Add(reader.GetGuid(0));
            }
        }
        signals.PublishChanged(written);
        if (batch.Any(c => c.State == JobState.Queued))
        {
            // Released on shutdown: let the other workers take them at once.
            foreach (var queue in options.Value.Queues)
            {
                signals.PublishWake(queue);
            }
        }
        return written.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} completions were not recorded: their lease had passed to another worker")]
    private partial void LogLost(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Gave up writing {Count} completions; their jobs will be rescued when the leases expire")]
    private partial void LogDropped(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Count} completions failed (attempt {Attempt}); retrying")]
    private partial void LogRetry(Exception exception, int count, int attempt);
}

using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>One line of a resource's console output.</summary>
public sealed record LogLine(int LineNumber, DateTimeOffset Timestamp, string Content, bool IsErrorMessage);

/// <summary>
/// Keeps the recent console output of every resource instance (bounded, oldest dropped) and streams new lines to
/// watchers: the dashboard's console-logs page and tests.
/// </summary>
public sealed class ResourceLoggerService(TimeProvider timeProvider)
{
    /// <summary>Lines kept per instance; older lines are dropped.</summary>
    public const int MaxLinesPerResource = 10_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, ResourceLog> _logs = new(StringComparer.Ordinal);

    public ResourceLoggerService() : this(TimeProvider.System)
    {
    }

    /// <summary>Raised for every line, for the AppHost's console echo.</summary>
    internal event Action<string, LogLine>? LineAdded;

    public void AddLine(string resourceId, string content, bool isError)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceId);
        LogLine line;
        ResourceLog log;
        lock (_lock)
        {
            log = GetOrCreate(resourceId);
            line = new LogLine(++log.LastLineNumber, timeProvider.GetUtcNow(), content, isError);
            log.Lines.Enqueue(line);
            if (log.Lines.Count > MaxLinesPerResource)
            {
                log.Lines.Dequeue();
            }

            foreach (var watcher in log.Watchers)
            {
                watcher.Writer.TryWrite(line);
            }
        }

        LineAdded?.Invoke(resourceId, line);
    }

    public IReadOnlyList<LogLine> GetLines(string resourceId)
    {
        lock (_lock)
        {
            return _logs.TryGetValue(resourceId, out var log) ? [.. log.Lines] : [];
        }
    }

    /// <summary>The kept lines in one batch, then new lines in batches as they arrive (unless <paramref name="follow"/> is false).</summary>
    public async IAsyncEnumerable<IReadOnlyList<LogLine>> WatchAsync(string resourceId, bool follow = true, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceId);
        var channel = Channel.CreateUnbounded<LogLine>(new UnboundedChannelOptions { SingleReader = true });
        LogLine[] backlog;
        ResourceLog log;
        lock (_lock)
        {
            log = GetOrCreate(resourceId);
            backlog = [.. log.Lines];
            if (follow)
            {
                log.Watchers.Add(channel);
            }
        }

        try
        {
            if (backlog.Length > 0)
            {
                yield return backlog;
            }

            if (!follow)
            {
                yield break;
            }

            var batch = new List<LogLine>();
            while (await channel.Reader.WaitToReadAsync(cancellationToken))
            {
                while (batch.Count < 1000 && channel.Reader.TryRead(out var line))
                {
                    batch.Add(line);
                }

                yield return batch.ToArray();
                batch.Clear();
            }
        }
        finally
        {
            lock (_lock)
            {
                log.Watchers.Remove(channel);
            }
        }
    }

    private ResourceLog GetOrCreate(string resourceId)
    {
        if (!_logs.TryGetValue(resourceId, out var log))
        {
            log = new ResourceLog();
            _logs[resourceId] = log;
        }

        return log;
    }

    private sealed class ResourceLog
    {
        public Queue<LogLine> Lines { get; } = new();

        public List<Channel<LogLine>> Watchers { get; } = [];

        public int LastLineNumber { get; set; }
    }
}

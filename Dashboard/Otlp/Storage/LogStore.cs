using Aspire.Dashboard.Configuration;
using Aspire.Dashboard.Otlp.Model;
using Microsoft.Extensions.Options;

namespace Aspire.Dashboard.Otlp.Storage;

public sealed record LogQuery(
    string? Resource = null,
    LogSeverity? MinSeverity = null,
    string? Text = null,
    string? TraceId = null,
    int Limit = 1000);

public sealed class LogStore(IOptions<DashboardOptions> options) : ChangeNotifier
{
    private readonly Lock _lock = new();
    private readonly BoundedQueue<LogEntry> _logs = new(options.Value.TelemetryLimits.MaxLogCount);
    private long _nextId;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _logs.Count;
            }
        }
    }

    public long NextId() => Interlocked.Increment(ref _nextId);

    public void Add(IReadOnlyList<LogEntry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        lock (_lock)
        {
            foreach (var entry in entries)
            {
                _logs.Enqueue(entry, out _);
            }
        }

        NotifyChanged();
    }

    public LogEntry? Get(long id)
    {
        lock (_lock)
        {
            return _logs.ToArray().FirstOrDefault(l => l.Id == id);
        }
    }

    // Newest first; Total is how many matched before the limit.
    public (IReadOnlyList<LogEntry> Items, int Total) Query(LogQuery query)
    {
        LogEntry[] all;
        lock (_lock)
        {
            all = _logs.ToArray();
        }

        var matches = new List<LogEntry>();
        var total = 0;
        for (var i = all.Length - 1; i >= 0; i--)
        {
            var log = all[i];
            if (!IsMatch(log, query))
            {
                continue;
            }

            total++;
            if (matches.Count < query.Limit)
            {
                matches.Add(log);
            }
        }

        return (matches, total);
    }

    public void Clear()
    {
        lock (_lock)
        {
            _logs.Clear();
        }

        NotifyChanged();
    }

    private static bool IsMatch(LogEntry log, LogQuery query) =>
        (query.Resource is null || log.Resource.Matches(query.Resource))
        && (query.MinSeverity is not { } min || log.Severity >= min)
        && (query.TraceId is null || string.Equals(log.TraceId, query.TraceId, StringComparison.OrdinalIgnoreCase))
        && (string.IsNullOrEmpty(query.Text) || ContainsText(log, query.Text));

    private static bool ContainsText(LogEntry log, string text) =>
        log.Message.Contains(text, StringComparison.OrdinalIgnoreCase)
        || log.Attributes.Any(a => a.Value.Contains(text, StringComparison.OrdinalIgnoreCase));
}

using Aspire.Dashboard.Configuration;
using Aspire.Dashboard.Otlp.Model;
using Microsoft.Extensions.Options;

namespace Aspire.Dashboard.Otlp.Storage;

public sealed record TraceQuery(
    string? Resource = null,
    bool? HasError = null,
    TimeSpan? MinDuration = null,
    string? Text = null,
    int Limit = 1000);

// Traces keyed by id, evicted oldest first when there are more than MaxTraceCount traces or
// MaxSpanCount spans in all.
public sealed class TraceStore(IOptions<DashboardOptions> options) : ChangeNotifier
{
    private readonly Lock _lock = new();
    // Ids are stored as lowercase hex; lookups lowercase what they are given.
    private readonly Dictionary<string, Entry> _traces = new(StringComparer.Ordinal);
    private readonly Queue<Entry> _order = new();
    private readonly int _maxTraces = options.Value.TelemetryLimits.MaxTraceCount;
    private readonly int _maxSpans = options.Value.TelemetryLimits.MaxSpanCount;
    private long _sequence;
    private int _spanCount;

    public int TraceCount
    {
        get
        {
            lock (_lock)
            {
                return _traces.Count;
            }
        }
    }

    public int SpanCount
    {
        get
        {
            lock (_lock)
            {
                return _spanCount;
            }
        }
    }

    // Returns how many spans were rejected (a single trace larger than MaxSpanCount).
    public int Add(IReadOnlyList<Span> spans)
    {
        var rejected = 0;
        lock (_lock)
        {
            foreach (var span in spans)
            {
                if (!_traces.TryGetValue(span.TraceId, out var entry))
                {
                    entry = new Entry(new Trace(span.TraceId, ++_sequence));
                    _traces.Add(span.TraceId, entry);
                    _order.Enqueue(entry);
                }
                else if (entry.Trace.SpanCount >= _maxSpans)
                {
                    rejected++;
                    continue;
                }

                if (entry.Trace.TryAdd(span))
                {
                    entry.Snapshot = null;
                    _spanCount++;
                }

                Evict(keep: entry);
            }
        }

        if (spans.Count > 0)
        {
            NotifyChanged();
        }

        return rejected;
    }

    public TraceSnapshot? Get(string traceId)
    {
        lock (_lock)
        {
            return _traces.TryGetValue(traceId.ToLowerInvariant(), out var entry) ? SnapshotOf(entry) : null;
        }
    }

    // Newest first; Total is how many matched before the limit.
    public (IReadOnlyList<TraceSnapshot> Items, int Total) Query(TraceQuery query)
    {
        TraceSnapshot[] all;
        lock (_lock)
        {
            all = [.. _order.Select(SnapshotOf)];
        }

        var matches = new List<TraceSnapshot>();
        var total = 0;
        for (var i = all.Length - 1; i >= 0; i--)
        {
            if (!IsMatch(all[i], query))
            {
                continue;
            }

            total++;
            if (matches.Count < query.Limit)
            {
                matches.Add(all[i]);
            }
        }

        return (matches, total);
    }

    public void Clear()
    {
        lock (_lock)
        {
            _traces.Clear();
            _order.Clear();
            _spanCount = 0;
        }

        NotifyChanged();
    }

    private void Evict(Entry keep)
    {
        while ((_traces.Count > _maxTraces || _spanCount > _maxSpans) && _order.Count > 1)
        {
            var oldest = _order.Dequeue();
            if (oldest == keep)
            {
                // The trace receiving spans now is not the one to lose.
                _order.Enqueue(oldest);
                continue;
            }

            _traces.Remove(oldest.Trace.TraceId);
            _spanCount -= oldest.Trace.SpanCount;
        }
    }

    // Snapshots are cached until the trace changes, so listing 10,000 traces copies nothing new.
    private static TraceSnapshot SnapshotOf(Entry entry) => entry.Snapshot ??= entry.Trace.Snapshot();

    private static bool IsMatch(TraceSnapshot trace, TraceQuery query) =>
        (query.Resource is null || trace.Resources.Any(r => r.Matches(query.Resource)))
        && (query.HasError is not { } error || trace.HasError == error)
        && (query.MinDuration is not { } min || trace.Duration >= min)
        && (string.IsNullOrEmpty(query.Text) || ContainsText(trace, query.Text));

    private static bool ContainsText(TraceSnapshot trace, string text) =>
        trace.TraceId.Contains(text, StringComparison.OrdinalIgnoreCase)
        || trace.Spans.Any(s => s.Name.Contains(text, StringComparison.OrdinalIgnoreCase)
            || s.Attributes.Any(a => a.Value.Contains(text, StringComparison.OrdinalIgnoreCase)));

    private sealed class Entry(Trace trace)
    {
        public Trace Trace { get; } = trace;
        public TraceSnapshot? Snapshot { get; set; }
    }
}

namespace Aspire.Dashboard.Otlp.Model;

// A trace is mutable while its spans arrive; readers get an immutable TraceSnapshot.
public sealed class Trace(string traceId, long sequence)
{
    private readonly Dictionary<string, Span> _spans = [];

    public string TraceId { get; } = traceId;
    public long Sequence { get; } = sequence;
    public int SpanCount => _spans.Count;

    // A span sent twice (an exporter retry) is kept once.
    internal bool TryAdd(Span span) => _spans.TryAdd(span.SpanId, span);

    internal TraceSnapshot Snapshot() => new(TraceId, [.. _spans.Values]);
}

public sealed class TraceSnapshot
{
    private readonly Dictionary<string, Span> _byId;

    public TraceSnapshot(string traceId, Span[] spans)
    {
        TraceId = traceId;
        _byId = spans.ToDictionary(s => s.SpanId);
        Spans = OrderAsTree(spans, _byId);
        Root = Spans.Count > 0 ? Spans[0] : null;
        StartTime = spans.Length == 0 ? default : spans.Min(s => s.StartTime);
        EndTime = spans.Length == 0 ? default : spans.Max(s => s.EndTime);
        HasError = spans.Any(s => s.Status == SpanStatus.Error);
        Resources = [.. Spans.Select(s => s.Resource).Distinct()];
    }

    public string TraceId { get; }

    // Depth first from the roots, siblings by start time: the order of a waterfall.
    public IReadOnlyList<Span> Spans { get; }
    public Span? Root { get; }
    public DateTime StartTime { get; }
    public DateTime EndTime { get; }
    public TimeSpan Duration => EndTime > StartTime ? EndTime - StartTime : TimeSpan.Zero;
    public string Name => Root is { } root ? $"{root.Resource.DisplayName}: {root.Name}" : "";
    public bool HasError { get; }
    public IReadOnlyList<TelemetryResource> Resources { get; }

    public Span? Find(string spanId) => _byId.GetValueOrDefault(spanId);

    public int Depth(Span span)
    {
        var depth = 0;
        var current = span;
        while (current.ParentSpanId is { } parentId && _byId.TryGetValue(parentId, out var parent) && depth < _byId.Count)
        {
            depth++;
            current = parent;
        }

        return depth;
    }

    private static Span[] OrderAsTree(Span[] spans, Dictionary<string, Span> byId)
    {
        var children = spans
            .Where(s => s.ParentSpanId is { } p && byId.ContainsKey(p))
            .GroupBy(s => s.ParentSpanId!)
            .ToDictionary(g => g.Key, g => g.OrderBy(s => s.StartTime).ToList());
        var roots = spans.Where(s => s.ParentSpanId is not { } p || !byId.ContainsKey(p)).OrderBy(s => s.StartTime);

        var ordered = new List<Span>(spans.Length);
        var visited = new HashSet<string>();
        var stack = new Stack<Span>();
        foreach (var root in roots)
        {
            stack.Push(root);
            while (stack.TryPop(out var span))
            {
                if (!visited.Add(span.SpanId))
                {
                    continue;
                }

                ordered.Add(span);
                if (children.TryGetValue(span.SpanId, out var kids))
                {
                    for (var i = kids.Count - 1; i >= 0; i--)
                    {
                        stack.Push(kids[i]);
                    }
                }
            }
        }

        // Spans in a parent cycle (malformed input) are still shown.
        ordered.AddRange(spans.Where(s => !visited.Contains(s.SpanId)));
        return [.. ordered];
    }
}

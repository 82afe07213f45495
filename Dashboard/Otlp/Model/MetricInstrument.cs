namespace Aspire.Dashboard.Otlp.Model;

public sealed record InstrumentKey(TelemetryResource Resource, string MeterName, string Name);

public enum InstrumentKind
{
    Gauge,
    Counter,
    UpDownCounter,
    Histogram,
    ExponentialHistogram,
    Summary,
}

// One data point; for histograms and summaries Value is the sum, Count the number of measurements, and the
// buckets (explicit or exponential) or the quantiles describe the distribution.
public sealed record MetricPoint(
    DateTime Time,
    DateTime StartTime,
    MetricDimension Dimension,
    double Value,
    ulong Count = 0,
    double[]? ExplicitBounds = null,
    ulong[]? BucketCounts = null,
    ExponentialBuckets? Exponential = null,
    SummaryQuantile[]? Quantiles = null);

public readonly record struct SummaryQuantile(double Quantile, double Value);

// One attribute set of an instrument (a time series); interned so points share it.
public sealed class MetricDimension(KeyValuePair<string, string>[] attributes)
{
    public KeyValuePair<string, string>[] Attributes { get; } = attributes;

    public string Key { get; } = string.Join(",", attributes.Select(a => $"{a.Key}={a.Value}"));

    public bool Matches(IReadOnlyDictionary<string, string> filter) =>
        filter.All(f => Attributes.Any(a => a.Key == f.Key && a.Value == f.Value));
}

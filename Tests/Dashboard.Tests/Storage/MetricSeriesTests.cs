using Aspire.Dashboard.Otlp.Model;
using Aspire.Dashboard.Otlp.Storage;
using Dashboard.Tests.Infrastructure;

namespace Dashboard.Tests.Storage;

public class MetricSeriesTests
{
    private static readonly TelemetryResource Resource = new("worker", "worker-0", []);
    private static readonly MetricDimension Ok = new([new("outcome", "ok")]);
    private static readonly MetricDimension Failed = new([new("outcome", "failed")]);

    private static InstrumentSnapshot Snapshot(InstrumentKind kind, bool isDelta, params MetricPoint[] points) =>
        new(new InstrumentInfo(new InstrumentKey(Resource, "Jobs", "jobs.x"), "", "", kind, isDelta, points.Length), [Ok, Failed], points);

    private static DateTime At(int seconds) => TestData.Epoch.AddSeconds(seconds);

    [Fact]
    public void Cumulative_counters_become_a_rate_per_second_summed_over_matching_series()
    {
        var counter = Snapshot(InstrumentKind.Counter, isDelta: false,
            new MetricPoint(At(10), At(0), Ok, 20),
            new MetricPoint(At(12), At(0), Ok, 30),
            new MetricPoint(At(12), At(0), Failed, 4),
            new MetricPoint(At(14), At(0), Ok, 5));

        var all = MetricSeries.Rates(counter, new Dictionary<string, string>());
        var ok = MetricSeries.Rates(counter, new Dictionary<string, string> { ["outcome"] = "ok" });

        // ok: 20 over its first 10 s = 2/s; then +10 in 2 s = 5/s; then a reset to 5 over 2 s = 2.5/s. failed: 4 in 12 s.
        Assert.Equal([2.0, 5, 2.5], ok.Select(p => p.Value));
        Assert.Equal(5 + (4 / 12.0), all.Single(p => p.Time == At(12)).Value, 6);
    }

    [Fact]
    public void Delta_counters_divide_each_point_by_its_own_interval()
    {
        var counter = Snapshot(InstrumentKind.Counter, isDelta: true, new MetricPoint(At(10), At(8), Ok, 6), new MetricPoint(At(12), At(10), Ok, 2));

        Assert.Equal([3.0, 1], MetricSeries.Rates(counter, new Dictionary<string, string>()).Select(p => p.Value));
    }

    [Fact]
    public void Histogram_percentiles_come_from_the_bucket_increments()
    {
        double[] bounds = [10, 20, 50, 100];
        var histogram = Snapshot(InstrumentKind.Histogram, isDelta: false,
            new MetricPoint(At(1), At(0), Ok, 0, 10, bounds, [10, 0, 0, 0, 0]),
            new MetricPoint(At(5), At(0), Ok, 0, 110, bounds, [10, 0, 50, 50, 0]));

        var points = MetricSeries.Percentiles(histogram, new Dictionary<string, string>());

        Assert.Equal(2, points.Count);
        Assert.Equal(10, points[0].P50);
        // The second interval holds 50 values in (20,50] and 50 in (50,100]: the median is 50, p90 interpolates to 90.
        Assert.Equal(50, points[1].P50, 6);
        Assert.Equal(90, points[1].P90, 6);
        Assert.Equal(100UL, points[1].Count);
    }

    [Fact]
    public void Gauge_totals_add_up_the_last_value_of_each_series()
    {
        var gauge = Snapshot(InstrumentKind.Gauge, isDelta: false, new MetricPoint(At(1), default, Ok, 3), new MetricPoint(At(1), default, Failed, 4));

        Assert.Equal(7, Assert.Single(MetricSeries.Values(gauge, new Dictionary<string, string>())).Value);
    }

    [Fact]
    public void Counters_and_gauges_chart_one_line_per_matching_series()
    {
        var counter = Snapshot(InstrumentKind.Counter, isDelta: true,
            new MetricPoint(At(10), At(8), Ok, 6),
            new MetricPoint(At(10), At(8), Failed, 2),
            new MetricPoint(At(12), At(10), Ok, 2));

        var lines = MetricSeries.RatesBySeries(counter, new Dictionary<string, string>());
        var okOnly = MetricSeries.RatesBySeries(counter, new Dictionary<string, string> { ["outcome"] = "ok" });

        Assert.Equal(["outcome=failed", "outcome=ok"], lines.Select(l => l.Name));
        Assert.Equal([1.0], lines[0].Points.Select(p => p.Value));
        Assert.Equal([3.0, 1], lines[1].Points.Select(p => p.Value));
        Assert.Equal("outcome=ok", Assert.Single(okOnly).Name);
        Assert.Equal([3, 4.0], MetricSeries.ValuesBySeries(Snapshot(InstrumentKind.Gauge, false, new MetricPoint(At(1), default, Failed, 3), new MetricPoint(At(1), default, Ok, 4)), new Dictionary<string, string>())
            .Select(l => Assert.Single(l.Points).Value));
    }

    [Fact]
    public void Exponential_histogram_percentiles_interpolate_inside_base_2_buckets()
    {
        // Scale 0: bucket i holds (2^i, 2^(i+1)]. 10 values in (2,4], 90 in (8,16].
        var histogram = Snapshot(InstrumentKind.ExponentialHistogram, isDelta: true,
            new MetricPoint(At(1), At(0), Ok, 0, 100, Exponential: new ExponentialBuckets(0, 0, 0, [0, 10, 0, 90], 0, [])));

        var point = Assert.Single(MetricSeries.Percentiles(histogram, new Dictionary<string, string>()));

        Assert.Equal(8 + (8 * 40 / 90.0), point.P50, 9);
        Assert.Equal(8 + (8 * 80 / 90.0), point.P90, 9);
        Assert.Equal(8 + (8 * 89 / 90.0), point.P99, 9);
        Assert.Equal(100UL, point.Count);
    }

    [Fact]
    public void Cumulative_exponential_histograms_are_differenced_at_the_coarsest_scale()
    {
        // The first point is at scale 1 (index 2 = (2, 2.83]); the SDK then downscaled to 0, where it is index 1 = (2, 4].
        var histogram = Snapshot(InstrumentKind.ExponentialHistogram, isDelta: false,
            new MetricPoint(At(1), At(0), Ok, 0, 10, Exponential: new ExponentialBuckets(1, 0, 2, [10], 0, [])),
            new MetricPoint(At(5), At(0), Ok, 0, 100, Exponential: new ExponentialBuckets(0, 0, 1, [10, 0, 90], 0, [])));

        var points = MetricSeries.Percentiles(histogram, new Dictionary<string, string>());

        Assert.Equal(2, points.Count);
        Assert.Equal(3, points[0].P50, 9);
        Assert.Equal(10UL, points[0].Count);
        Assert.Equal(12, points[1].P50, 9);
        Assert.Equal(90UL, points[1].Count);
    }

    [Fact]
    public void Exponential_distributions_order_negative_values_zero_and_positive_values()
    {
        var distribution = ExponentialDistribution.Of(new ExponentialBuckets(0, 5, 0, [10], 0, [5]), scale: 0);

        Assert.Equal(20UL, distribution.Count);
        Assert.Equal(-1.6, distribution.Percentile(0.1), 9);
        Assert.Equal(0, distribution.Percentile(0.5));
        Assert.Equal(1.8, distribution.Percentile(0.9), 9);
    }

    [Fact]
    public void Summaries_chart_each_reported_quantile_per_series()
    {
        var summary = Snapshot(InstrumentKind.Summary, isDelta: false,
            new MetricPoint(At(1), At(0), Ok, 100, 10, Quantiles: [new(0.5, 10), new(0.99, 40)]),
            new MetricPoint(At(2), At(0), Ok, 300, 20, Quantiles: [new(0.5, 12), new(0.99, 45)]),
            new MetricPoint(At(1), At(0), Failed, 5, 1, Quantiles: [new(0, 5), new(1, 5)]));

        var lines = MetricSeries.Quantiles(summary, new Dictionary<string, string>());

        Assert.Equal(["min outcome=failed", "max outcome=failed", "p50 outcome=ok", "p99 outcome=ok"], lines.Select(l => l.Name));
        Assert.Equal([10.0, 12], lines[2].Points.Select(p => p.Value));
        Assert.Equal([40.0, 45], lines[3].Points.Select(p => p.Value));
    }
}

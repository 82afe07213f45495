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
    public void Gauges_add_up_the_last_value_of_each_series()
    {
        var gauge = Snapshot(InstrumentKind.Gauge, isDelta: false, new MetricPoint(At(1), default, Ok, 3), new MetricPoint(At(1), default, Failed, 4));

        Assert.Equal(7, Assert.Single(MetricSeries.Values(gauge, new Dictionary<string, string>())).Value);
    }
}

using Aspire.Dashboard.Otlp.Model;
using Aspire.Dashboard.Otlp.Storage;

namespace Aspire.Dashboard.Components.Controls;

// What the chart script draws: shared x values (unix seconds) and named y series, null where a series has
// no point. Counters and gauges get a line per attribute set, histograms p50/p90/p99 of the selected
// series together, summaries a line per reported quantile and attribute set; past MaxLines, the rest are
// counted in HiddenLines (the attribute filters narrow the chart down).
public sealed record ChartSeries(double[] Times, IReadOnlyList<(string Name, double?[] Values)> Lines, string Unit, int HiddenLines = 0)
{
    public const int MaxLines = 10;

    public static ChartSeries From(InstrumentSnapshot instrument, IReadOnlyDictionary<string, string> filter)
    {
        var unit = instrument.Info.Unit;
        switch (instrument.Info.Kind)
        {
            case InstrumentKind.Histogram or InstrumentKind.ExponentialHistogram:
                var percentiles = MetricSeries.Percentiles(instrument, filter);
                return new ChartSeries(
                    [.. percentiles.Select(p => Seconds(p.Time))],
                    [("p50", [.. percentiles.Select(p => (double?)p.P50)]), ("p90", [.. percentiles.Select(p => (double?)p.P90)]), ("p99", [.. percentiles.Select(p => (double?)p.P99)])],
                    unit);
            case InstrumentKind.Summary:
                return Aligned(MetricSeries.Quantiles(instrument, filter), unit);
            case InstrumentKind.Counter:
                return Aligned(MetricSeries.RatesBySeries(instrument, filter), unit + "/s");
            default:
                return Aligned(MetricSeries.ValuesBySeries(instrument, filter), unit);
        }
    }

    private static ChartSeries Aligned(IReadOnlyList<SeriesLine> lines, string unit)
    {
        var shown = lines.Take(MaxLines).ToList();
        var times = shown.SelectMany(l => l.Points).Select(p => p.Time).Distinct().Order().ToArray();
        var index = times.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i);
        return new ChartSeries(
            [.. times.Select(Seconds)],
            [.. shown.Select(line =>
            {
                var values = new double?[times.Length];
                foreach (var point in line.Points)
                {
                    values[index[point.Time]] = point.Value;
                }

                return (line.Name, values);
            })],
            unit,
            lines.Count - shown.Count);
    }

    private static double Seconds(DateTime time) => (time - DateTime.UnixEpoch).TotalSeconds;
}

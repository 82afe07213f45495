using Aspire.Dashboard.Otlp.Model;
using Aspire.Dashboard.Otlp.Storage;

namespace Aspire.Dashboard.Components.Controls;

// What the chart script draws: shared x values (unix seconds) and named y series.
public sealed record ChartSeries(double[] Times, IReadOnlyList<(string Name, double?[] Values)> Lines, string Unit)
{
    public static ChartSeries From(InstrumentSnapshot instrument, IReadOnlyDictionary<string, string> filter)
    {
        switch (instrument.Info.Kind)
        {
            case InstrumentKind.Histogram:
                var percentiles = MetricSeries.Percentiles(instrument, filter);
                return new ChartSeries(
                    [.. percentiles.Select(p => Seconds(p.Time))],
                    [("p50", [.. percentiles.Select(p => (double?)p.P50)]), ("p90", [.. percentiles.Select(p => (double?)p.P90)]), ("p99", [.. percentiles.Select(p => (double?)p.P99)])],
                    instrument.Info.Unit);
            case InstrumentKind.Counter:
                var rates = MetricSeries.Rates(instrument, filter);
                return new ChartSeries([.. rates.Select(p => Seconds(p.Time))], [("rate/s", [.. rates.Select(p => (double?)p.Value)])], instrument.Info.Unit + "/s");
            default:
                var values = MetricSeries.Values(instrument, filter);
                return new ChartSeries([.. values.Select(p => Seconds(p.Time))], [("value", [.. values.Select(p => (double?)p.Value)])], instrument.Info.Unit);
        }
    }

    private static double Seconds(DateTime time) => (time - DateTime.UnixEpoch).TotalSeconds;
}

using Aspire.Dashboard.Configuration;
using Aspire.Dashboard.Otlp.Model;
using Microsoft.Extensions.Options;

namespace Aspire.Dashboard.Otlp.Storage;

public sealed record InstrumentInfo(
    InstrumentKey Key,
    string Description,
    string Unit,
    InstrumentKind Kind,
    bool IsDelta,
    int PointCount);

public sealed record InstrumentSnapshot(InstrumentInfo Info, IReadOnlyList<MetricDimension> Dimensions, MetricPoint[] Points);

// The data of one metric as it arrives: name, kind and its points in arrival order.
public sealed record IncomingMetric(
    InstrumentKey Key,
    string Description,
    string Unit,
    InstrumentKind Kind,
    bool IsDelta,
    IReadOnlyList<(KeyValuePair<string, string>[] Attributes, Func<MetricDimension, MetricPoint> Point)> Points);

// Points per resource and instrument in a ring of MaxMetricsCount, oldest evicted first. A flood of
// instrument names or attribute values must not grow memory without end: at most MaxInstrumentCount
// instruments and MaxMetricSeriesCount attribute sets per instrument are kept (real ones have a handful);
// points beyond them are refused.
public sealed class MetricStore(IOptions<DashboardOptions> options) : ChangeNotifier
{
    private readonly Lock _lock = new();
    private readonly Dictionary<InstrumentKey, Instrument> _instruments = [];
    private readonly int _maxPoints = options.Value.TelemetryLimits.MaxMetricsCount;
    private readonly int _maxInstruments = options.Value.TelemetryLimits.MaxInstrumentCount;
    private readonly int _maxSeries = options.Value.TelemetryLimits.MaxMetricSeriesCount;

    // Returns how many points were rejected.
    public int Add(IReadOnlyList<IncomingMetric> metrics)
    {
        var rejected = 0;
        lock (_lock)
        {
            foreach (var metric in metrics)
            {
                if (!_instruments.TryGetValue(metric.Key, out var instrument))
                {
                    if (_instruments.Count >= _maxInstruments)
                    {
                        rejected += metric.Points.Count;
                        continue;
                    }

                    instrument = new Instrument(_maxPoints, _maxSeries);
                    _instruments.Add(metric.Key, instrument);
                }

                instrument.Info = new InstrumentInfo(metric.Key, metric.Description, metric.Unit, metric.Kind, metric.IsDelta, 0);
                foreach (var (attributes, point) in metric.Points)
                {
                    var dimension = instrument.GetDimension(attributes);
                    if (dimension is null)
                    {
                        rejected++;
                        continue;
                    }

                    instrument.Points.Enqueue(point(dimension), out _);
                }
            }
        }

        if (metrics.Count > 0)
        {
            NotifyChanged();
        }

        return rejected;
    }

    public IReadOnlyList<InstrumentInfo> GetInstruments(string? resource = null)
    {
        lock (_lock)
        {
            return [.. _instruments.Values
                .Where(i => resource is null || i.Info!.Key.Resource.Matches(resource))
                .Select(i => i.Info! with { PointCount = i.Points.Count })
                .OrderBy(i => i.Key.Resource.DisplayName, StringComparer.OrdinalIgnoreCase)
                .ThenBy(i => i.Key.MeterName, StringComparer.Ordinal)
                .ThenBy(i => i.Key.Name, StringComparer.Ordinal)];
        }
    }

    public InstrumentSnapshot? GetInstrument(InstrumentKey key)
    {
        lock (_lock)
        {
            return _instruments.TryGetValue(key, out var instrument)
                ? new InstrumentSnapshot(instrument.Info! with { PointCount = instrument.Points.Count }, [.. instrument.Dimensions.Values], instrument.Points.ToArray())
                : null;
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _instruments.Clear();
        }

        NotifyChanged();
    }

    private sealed class Instrument(int capacity, int maxSeries)
    {
        public InstrumentInfo? Info { get; set; }
        public BoundedQueue<MetricPoint> Points { get; } = new(capacity);
        public Dictionary<string, MetricDimension> Dimensions { get; } = [];

        public MetricDimension? GetDimension(KeyValuePair<string, string>[] attributes)
        {
            var candidate = new MetricDimension(attributes);
            if (Dimensions.TryGetValue(candidate.Key, out var existing))
            {
                return existing;
            }

            if (Dimensions.Count >= maxSeries)
            {
                return null;
            }

            Dimensions.Add(candidate.Key, candidate);
            return candidate;
        }
    }
}

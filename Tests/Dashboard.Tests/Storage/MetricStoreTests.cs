using Aspire.Dashboard.Otlp.Model;
using Aspire.Dashboard.Otlp.Storage;
using Dashboard.Tests.Infrastructure;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Metrics.V1;

namespace Dashboard.Tests.Storage;

public class MetricStoreTests
{
    private static ExportMetricsServiceRequest Counter(string service, string instance, params (int AtMs, long Value, string Outcome)[] points) => new()
    {
        ResourceMetrics =
        {
            new ResourceMetrics
            {
                Resource = TestData.Resource(service, instance),
                ScopeMetrics =
                {
                    new ScopeMetrics
                    {
                        Scope = new InstrumentationScope { Name = "Jobs" },
                        Metrics =
                        {
                            new Metric
                            {
                                Name = "jobs.completed",
                                Unit = "{job}",
                                Sum = new Sum
                                {
                                    IsMonotonic = true,
                                    AggregationTemporality = AggregationTemporality.Cumulative,
                                    DataPoints =
                                    {
                                        points.Select(p => new NumberDataPoint
                                        {
                                            TimeUnixNano = TestData.Nanos(TestData.Epoch.AddMilliseconds(p.AtMs)),
                                            AsInt = p.Value,
                                            Attributes = { TestData.Attr("outcome", p.Outcome), TestData.Attr("job.type", "echo") },
                                        }),
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    };

    [Fact]
    public void Points_per_resource_and_instrument_stay_within_MaxMetricsCount()
    {
        var telemetry = TestData.CreateTelemetry(l => l.MaxMetricsCount = 4);

        for (var i = 0; i < 10; i++)
        {
            telemetry.Ingestor.Ingest(Counter("worker", "worker-0", (i * 1000, i, "succeeded")));
            telemetry.Ingestor.Ingest(Counter("worker", "worker-1", (i * 1000, i, "succeeded")));
        }

        var instruments = telemetry.Metrics.GetInstruments("worker");
        Assert.Equal(2, instruments.Count);
        var instrument = telemetry.Metrics.GetInstrument(instruments[0].Key)!;
        Assert.Equal([6.0, 7, 8, 9], instrument.Points.Select(p => p.Value));
        Assert.Equal(InstrumentKind.Counter, instrument.Info.Kind);
        Assert.Equal("{job}", instrument.Info.Unit);
    }

    [Fact]
    public void Attribute_sets_in_any_order_are_one_series_and_can_be_filtered()
    {
        var telemetry = TestData.CreateTelemetry();
        telemetry.Ingestor.Ingest(Counter("worker", "w", (0, 1, "succeeded"), (0, 2, "failed")));
        var reordered = Counter("worker", "w", (1000, 3, "succeeded"));
        var point = reordered.ResourceMetrics[0].ScopeMetrics[0].Metrics[0].Sum.DataPoints[0];
        var attributes = point.Attributes.Reverse().ToList();
        point.Attributes.Clear();
        point.Attributes.Add(attributes);
        telemetry.Ingestor.Ingest(reordered);

        var instrument = telemetry.Metrics.GetInstrument(telemetry.Metrics.GetInstruments().Single().Key)!;

        Assert.Equal(2, instrument.Dimensions.Count);
        var succeeded = new Dictionary<string, string> { ["outcome"] = "succeeded" };
        Assert.Equal([1.0, 3], instrument.Points.Where(p => p.Dimension.Matches(succeeded)).Select(p => p.Value));
    }

    [Fact]
    public void A_flood_of_distinct_attribute_sets_is_capped_and_reported()
    {
        var telemetry = TestData.CreateTelemetry();
        var points = Enumerable.Range(0, MetricStore.MaxDimensionsPerInstrument + 5).Select(i => (0, (long)i, $"o{i}")).ToArray();

        var response = telemetry.Ingestor.Ingest(Counter("worker", "w", points));

        Assert.Equal(5, response.PartialSuccess.RejectedDataPoints);
    }
}

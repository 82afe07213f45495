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
        var telemetry = TestData.CreateTelemetry(l => l.MaxMetricSeriesCount = 20);
        var points = Enumerable.Range(0, 25).Select(i => (0, (long)i, $"o{i}")).ToArray();

        var response = telemetry.Ingestor.Ingest(Counter("worker", "w", points));
        var again = telemetry.Ingestor.Ingest(Counter("worker", "w", (1000, 1, "o0"), (1000, 1, "o24")));

        Assert.Equal(5, response.PartialSuccess.RejectedDataPoints);
        Assert.Contains("MaxMetricSeriesCount", response.PartialSuccess.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(1, again.PartialSuccess.RejectedDataPoints);
        var instrument = telemetry.Metrics.GetInstrument(telemetry.Metrics.GetInstruments().Single().Key)!;
        Assert.Equal(20, instrument.Dimensions.Count);
        Assert.Equal(21, instrument.Points.Length);
    }

    [Fact]
    public void A_flood_of_instrument_names_is_capped_and_reported()
    {
        var telemetry = TestData.CreateTelemetry(l => l.MaxInstrumentCount = 3);

        var responses = Enumerable.Range(0, 5).Select(i =>
        {
            var request = Counter("worker", "w", (0, 1, "ok"));
            request.ResourceMetrics[0].ScopeMetrics[0].Metrics[0].Name = $"flood.{i}";
            return telemetry.Ingestor.Ingest(request);
        }).ToList();

        Assert.Equal(3, telemetry.Metrics.GetInstruments().Count);
        Assert.Equal([0L, 0, 0, 1, 1], responses.Select(r => r.PartialSuccess?.RejectedDataPoints ?? 0));
    }

    [Fact]
    public void A_flood_of_service_names_is_capped_for_every_signal_and_known_resources_keep_reporting()
    {
        var telemetry = TestData.CreateTelemetry(l => l.MaxResourceCount = 2);
        telemetry.Ingestor.Ingest(Counter("api", "", (0, 1, "ok")));
        telemetry.Ingestor.Ingest(TestData.Logs(TestData.Resource("worker"), TestData.Log("first")));

        var metrics = telemetry.Ingestor.Ingest(Counter("svc-3", "", (0, 1, "ok"), (1, 2, "ok")));
        var logs = telemetry.Ingestor.Ingest(TestData.Logs(TestData.Resource("svc-4"), TestData.Log("a"), TestData.Log("b"), TestData.Log("c")));
        var traces = telemetry.Ingestor.Ingest(TestData.Traces(TestData.Resource("svc-5"), TestData.Span(TestData.TraceId(1), TestData.SpanId(1))));
        var known = telemetry.Ingestor.Ingest(TestData.Logs(TestData.Resource("worker"), TestData.Log("second")));

        Assert.Equal(["api", "worker"], telemetry.Resources.GetResources().Select(r => r.DisplayName));
        Assert.Equal(2, metrics.PartialSuccess.RejectedDataPoints);
        Assert.Equal(3, logs.PartialSuccess.RejectedLogRecords);
        Assert.Contains("MaxResourceCount", logs.PartialSuccess.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(1, traces.PartialSuccess.RejectedSpans);
        Assert.Null(known.PartialSuccess);
        Assert.Equal(2, telemetry.Logs.Query(new LogQuery()).Total);
        Assert.Equal(0, telemetry.Traces.TraceCount);
    }

    [Fact]
    public void Exponential_histograms_and_summaries_are_stored_with_their_distributions()
    {
        var telemetry = TestData.CreateTelemetry();
        var exponential = new Metric
        {
            Name = "http.server.request.duration",
            Unit = "s",
            ExponentialHistogram = new ExponentialHistogram
            {
                AggregationTemporality = AggregationTemporality.Delta,
                DataPoints =
                {
                    new ExponentialHistogramDataPoint
                    {
                        StartTimeUnixNano = TestData.Nanos(TestData.Epoch), TimeUnixNano = TestData.Nanos(TestData.Epoch.AddSeconds(1)),
                        Count = 100, Sum = 1000, Scale = 0, ZeroCount = 0,
                        Positive = new ExponentialHistogramDataPoint.Types.Buckets { Offset = 1, BucketCounts = { 10, 0, 90 } },
                        Attributes = { TestData.Attr("http.route", "/jobs") },
                    },
                },
            },
        };
        var summary = new Metric
        {
            Name = "rpc.latency",
            Summary = new Summary
            {
                DataPoints =
                {
                    new SummaryDataPoint
                    {
                        TimeUnixNano = TestData.Nanos(TestData.Epoch.AddSeconds(1)), Count = 3, Sum = 6,
                        QuantileValues = { new SummaryDataPoint.Types.ValueAtQuantile { Quantile = 0.5, Value = 2 }, new SummaryDataPoint.Types.ValueAtQuantile { Quantile = 0.99, Value = 3 } },
                    },
                },
            },
        };
        var request = new ExportMetricsServiceRequest
        {
            ResourceMetrics = { new ResourceMetrics { Resource = TestData.Resource("api"), ScopeMetrics = { new ScopeMetrics { Scope = new InstrumentationScope { Name = "m" }, Metrics = { exponential, summary } } } } },
        };

        var response = telemetry.Ingestor.Ingest(request);

        Assert.Null(response.PartialSuccess);
        var instruments = telemetry.Metrics.GetInstruments("api");
        var histogram = telemetry.Metrics.GetInstrument(instruments.Single(i => i.Key.Name == "http.server.request.duration").Key)!;
        Assert.Equal(InstrumentKind.ExponentialHistogram, histogram.Info.Kind);
        Assert.True(histogram.Info.IsDelta);
        var percentiles = Assert.Single(MetricSeries.Percentiles(histogram, new Dictionary<string, string>()));
        Assert.Equal(8 + (8 * 40 / 90.0), percentiles.P50, 9);
        var quantiles = telemetry.Metrics.GetInstrument(instruments.Single(i => i.Key.Name == "rpc.latency").Key)!;
        Assert.Equal(InstrumentKind.Summary, quantiles.Info.Kind);
        Assert.Equal(["p50", "p99"], MetricSeries.Quantiles(quantiles, new Dictionary<string, string>()).Select(l => l.Name));
        Assert.Equal((6.0, 3UL), (quantiles.Points[0].Value, quantiles.Points[0].Count));
    }
}

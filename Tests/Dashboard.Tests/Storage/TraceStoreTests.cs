using Aspire.Dashboard.Otlp.Model;
using Aspire.Dashboard.Otlp.Storage;
using Dashboard.Tests.Infrastructure;

namespace Dashboard.Tests.Storage;

public class TraceStoreTests
{
    [Fact]
    public void Spans_from_several_resources_form_one_trace_in_waterfall_order()
    {
        var telemetry = TestData.CreateTelemetry();
        var trace = TestData.TraceId(1);
        telemetry.Ingestor.Ingest(TestData.Traces(TestData.Resource("worker", "worker-1"),
            TestData.Span(trace, TestData.SpanId(3), TestData.SpanId(2), "run job", startMs: 20, durationMs: 50),
            TestData.Span(trace, TestData.SpanId(5), TestData.SpanId(3), "step 2", startMs: 40, durationMs: 10),
            TestData.Span(trace, TestData.SpanId(4), TestData.SpanId(3), "step 1", startMs: 25, durationMs: 10)));
        telemetry.Ingestor.Ingest(TestData.Traces(TestData.Resource("api", "api"),
            TestData.Span(trace, TestData.SpanId(1), null, "POST /jobs", startMs: 0, durationMs: 15),
            TestData.Span(trace, TestData.SpanId(2), TestData.SpanId(1), "enqueue", startMs: 5, durationMs: 5)));

        var snapshot = telemetry.Traces.Get(trace)!;

        Assert.Equal(["POST /jobs", "enqueue", "run job", "step 1", "step 2"], snapshot.Spans.Select(s => s.Name));
        Assert.Equal([0, 1, 2, 3, 3], snapshot.Spans.Select(snapshot.Depth));
        Assert.Equal(["api", "worker-1"], snapshot.Resources.Select(r => r.DisplayName));
        Assert.Equal(TimeSpan.FromMilliseconds(70), snapshot.Duration);
        Assert.Equal("api: POST /jobs", snapshot.Name);
    }

    [Fact]
    public void Evicts_the_oldest_traces_beyond_MaxTraceCount()
    {
        var telemetry = TestData.CreateTelemetry(l => l.MaxTraceCount = 3);

        for (var i = 1; i <= 5; i++)
        {
            telemetry.Ingestor.Ingest(TestData.Traces(TestData.Resource("api"), TestData.Span(TestData.TraceId(i), TestData.SpanId(i))));
        }

        Assert.Equal(3, telemetry.Traces.TraceCount);
        Assert.Null(telemetry.Traces.Get(TestData.TraceId(1)));
        Assert.Null(telemetry.Traces.Get(TestData.TraceId(2)));
        Assert.Equal([TestData.TraceId(5), TestData.TraceId(4), TestData.TraceId(3)], telemetry.Traces.Query(new TraceQuery()).Items.Select(t => t.TraceId));
    }

    [Fact]
    public void Total_spans_stay_within_MaxSpanCount_and_one_huge_trace_is_cut()
    {
        var telemetry = TestData.CreateTelemetry(l => l.MaxSpanCount = 10);
        telemetry.Ingestor.Ingest(TestData.Traces(TestData.Resource("api"), [.. Enumerable.Range(1, 6).Select(i => TestData.Span(TestData.TraceId(1), TestData.SpanId(i)))]));
        telemetry.Ingestor.Ingest(TestData.Traces(TestData.Resource("api"), [.. Enumerable.Range(1, 6).Select(i => TestData.Span(TestData.TraceId(2), TestData.SpanId(i)))]));

        Assert.Null(telemetry.Traces.Get(TestData.TraceId(1)));
        Assert.Equal(6, telemetry.Traces.SpanCount);

        var response = telemetry.Ingestor.Ingest(TestData.Traces(TestData.Resource("api"), [.. Enumerable.Range(7, 10).Select(i => TestData.Span(TestData.TraceId(2), TestData.SpanId(i)))]));

        Assert.Equal(10, telemetry.Traces.SpanCount);
        Assert.Equal(6, response.PartialSuccess.RejectedSpans);
    }

    [Fact]
    public void A_span_sent_twice_is_stored_once()
    {
        var telemetry = TestData.CreateTelemetry();
        var span = TestData.Span(TestData.TraceId(1), TestData.SpanId(1));

        telemetry.Ingestor.Ingest(TestData.Traces(TestData.Resource("api"), span));
        telemetry.Ingestor.Ingest(TestData.Traces(TestData.Resource("api"), span));

        Assert.Single(telemetry.Traces.Get(TestData.TraceId(1))!.Spans);
    }

    [Fact]
    public void Spans_with_bad_ids_are_rejected_as_partial_success()
    {
        var telemetry = TestData.CreateTelemetry();
        var bad = TestData.Span(TestData.TraceId(1), TestData.SpanId(1));
        bad.TraceId = Google.Protobuf.ByteString.CopyFrom(1, 2, 3);

        var response = telemetry.Ingestor.Ingest(TestData.Traces(TestData.Resource("api"), bad, TestData.Span(TestData.TraceId(2), TestData.SpanId(2))));

        Assert.Equal(1, response.PartialSuccess.RejectedSpans);
        Assert.Equal(1, telemetry.Traces.TraceCount);
    }

    [Fact]
    public void Filters_by_resource_error_duration_and_text()
    {
        var telemetry = TestData.CreateTelemetry();
        var failed = TestData.Span(TestData.TraceId(1), TestData.SpanId(1), name: "POST /jobs", durationMs: 500);
        failed.Status = new OpenTelemetry.Proto.Trace.V1.Status { Code = OpenTelemetry.Proto.Trace.V1.Status.Types.StatusCode.Error };
        telemetry.Ingestor.Ingest(TestData.Traces(TestData.Resource("api"), failed));
        telemetry.Ingestor.Ingest(TestData.Traces(TestData.Resource("worker"), TestData.Span(TestData.TraceId(2), TestData.SpanId(2), name: "run", durationMs: 5)));

        Assert.Equal(TestData.TraceId(1), Assert.Single(telemetry.Traces.Query(new TraceQuery(HasError: true)).Items).TraceId);
        Assert.Equal(TestData.TraceId(2), Assert.Single(telemetry.Traces.Query(new TraceQuery(Resource: "worker")).Items).TraceId);
        Assert.Equal(TestData.TraceId(1), Assert.Single(telemetry.Traces.Query(new TraceQuery(MinDuration: TimeSpan.FromMilliseconds(100))).Items).TraceId);
        Assert.Equal(TestData.TraceId(1), Assert.Single(telemetry.Traces.Query(new TraceQuery(Text: "/jobs")).Items).TraceId);
        Assert.True(Assert.Single(telemetry.Traces.Query(new TraceQuery(HasError: true)).Items).HasError);
        Assert.Equal(SpanStatus.Error, telemetry.Traces.Get(TestData.TraceId(1))!.Root!.Status);
    }
}

using Dashboard.Tests.Infrastructure;
using OpenTelemetry.Proto.Common.V1;

namespace Dashboard.Tests.Otlp;

public class TelemetryIngestorTests
{
    [Fact]
    public void Replicas_named_by_the_AppHost_keep_their_names_and_a_single_instance_its_service_name()
    {
        var telemetry = TestData.CreateTelemetry();
        telemetry.Ingestor.Ingest(TestData.Logs(TestData.Resource("api", "api"), TestData.Log("a")));
        telemetry.Ingestor.Ingest(TestData.Logs(TestData.Resource("worker", "worker-0"), TestData.Log("b")));
        telemetry.Ingestor.Ingest(TestData.Logs(TestData.Resource("worker", "worker-1"), TestData.Log("c")));
        telemetry.Ingestor.Ingest(TestData.Logs(TestData.Resource("js", "3f2a9c1e-aaaa"), TestData.Log("d")));

        Assert.Equal(["api", "js", "worker-0", "worker-1"], telemetry.Resources.GetResources().Select(r => r.DisplayName));
    }

    [Fact]
    public void Attribute_values_of_every_type_become_text_within_the_limits()
    {
        var telemetry = TestData.CreateTelemetry(l => { l.MaxAttributeCount = 5; l.MaxAttributeLength = 10; });
        var log = TestData.Log("a message longer than ten characters");
        log.Attributes.Add(new KeyValue { Key = "b", Value = new AnyValue { BoolValue = true } });
        log.Attributes.Add(new KeyValue { Key = "i", Value = new AnyValue { IntValue = -5 } });
        log.Attributes.Add(new KeyValue { Key = "d", Value = new AnyValue { DoubleValue = 1.5 } });
        log.Attributes.Add(new KeyValue { Key = "arr", Value = new AnyValue { ArrayValue = new ArrayValue { Values = { new AnyValue { IntValue = 1 }, new AnyValue { StringValue = "x" } } } } });
        log.Attributes.Add(new KeyValue { Key = "long", Value = new AnyValue { StringValue = new string('z', 50) } });
        log.Attributes.Add(new KeyValue { Key = "dropped", Value = new AnyValue { StringValue = "over the count" } });

        telemetry.Ingestor.Ingest(TestData.Logs(TestData.Resource("api"), log));

        var entry = Assert.Single(telemetry.Logs.Query(new()).Items);
        Assert.Equal("a message ", entry.Message);
        Assert.Equal(["b=true", "i=-5", "d=1.5", "arr=[1,\"x\"]", "long=zzzzzzzzzz"], entry.Attributes.Select(a => $"{a.Key}={a.Value}"));
    }

    [Fact]
    public void Telemetry_without_a_resource_is_kept_under_unknown_service()
    {
        var telemetry = TestData.CreateTelemetry();

        telemetry.Ingestor.Ingest(new OpenTelemetry.Proto.Collector.Logs.V1.ExportLogsServiceRequest
        {
            ResourceLogs = { new OpenTelemetry.Proto.Logs.V1.ResourceLogs { ScopeLogs = { new OpenTelemetry.Proto.Logs.V1.ScopeLogs { LogRecords = { TestData.Log("orphan") } } } } },
        });

        Assert.Equal("unknown_service", Assert.Single(telemetry.Logs.Query(new()).Items).Resource.DisplayName);
    }

    [Fact]
    public void Spans_of_one_request_share_their_trace_id_string_and_a_parent_id_is_the_parent_span_id_string()
    {
        var telemetry = TestData.CreateTelemetry();
        var traceId = TestData.TraceId(0x51);

        telemetry.Ingestor.Ingest(TestData.Traces(TestData.Resource("api"),
            TestData.Span(traceId, TestData.SpanId(1)),
            TestData.Span(traceId, TestData.SpanId(2), parent: TestData.SpanId(1)),
            TestData.Span(traceId, TestData.SpanId(3), parent: TestData.SpanId(1))));

        var spans = telemetry.Traces.Get(traceId.ToUpperInvariant())!.Spans;
        Assert.Equal(3, spans.Count);
        Assert.All(spans, s => Assert.Same(spans[0].TraceId, s.TraceId));
        Assert.Equal(traceId, spans[0].TraceId);
        Assert.All(spans.Skip(1), s => Assert.Same(spans[0].SpanId, s.ParentSpanId));
    }
}

using Aspire.Dashboard.Otlp.Model;
using Aspire.Dashboard.Otlp.Storage;
using Dashboard.Tests.Infrastructure;
using OpenTelemetry.Proto.Logs.V1;

namespace Dashboard.Tests.Storage;

public class LogStoreTests
{
    [Fact]
    public void Evicts_the_oldest_entries_beyond_MaxLogCount()
    {
        var telemetry = TestData.CreateTelemetry(l => l.MaxLogCount = 5);

        for (var i = 0; i < 12; i++)
        {
            telemetry.Ingestor.Ingest(TestData.Logs(TestData.Resource("api"), TestData.Log($"message {i}", atMs: i)));
        }

        var (items, total) = telemetry.Logs.Query(new LogQuery());
        Assert.Equal(5, total);
        Assert.Equal(["message 11", "message 10", "message 9", "message 8", "message 7"], items.Select(l => l.Message));
    }

    [Fact]
    public void Filters_by_resource_level_text_and_trace_id()
    {
        var telemetry = TestData.CreateTelemetry();
        var traced = TestData.Log("job failed", SeverityNumber.Error);
        traced.TraceId = Google.Protobuf.ByteString.CopyFrom(Convert.FromHexString(TestData.TraceId(7)));
        traced.Attributes.Add(TestData.Attr("RequestId", "req-123"));
        telemetry.Ingestor.Ingest(TestData.Logs(TestData.Resource("api", "api"), TestData.Log("started"), traced));
        telemetry.Ingestor.Ingest(TestData.Logs(TestData.Resource("worker", "worker-0"), TestData.Log("job failed", SeverityNumber.Warn)));

        Assert.Equal(2, telemetry.Logs.Query(new LogQuery(Resource: "api")).Total);
        Assert.Equal(1, telemetry.Logs.Query(new LogQuery(Resource: "worker-0")).Total);
        Assert.Equal(1, telemetry.Logs.Query(new LogQuery(Resource: "worker")).Total);
        Assert.Equal(2, telemetry.Logs.Query(new LogQuery(MinSeverity: LogSeverity.Warning)).Total);
        Assert.Equal(1, telemetry.Logs.Query(new LogQuery(MinSeverity: LogSeverity.Error)).Total);
        Assert.Equal(1, telemetry.Logs.Query(new LogQuery(Text: "REQ-123")).Total);
        var byTrace = Assert.Single(telemetry.Logs.Query(new LogQuery(TraceId: TestData.TraceId(7))).Items);
        Assert.Equal("job failed", byTrace.Message);
        Assert.Equal("api", byTrace.Resource.DisplayName);
    }

    [Fact]
    public void Limit_caps_items_but_not_the_total()
    {
        var telemetry = TestData.CreateTelemetry();
        telemetry.Ingestor.Ingest(TestData.Logs(TestData.Resource("api"), [.. Enumerable.Range(0, 20).Select(i => TestData.Log($"m{i}"))]));

        var (items, total) = telemetry.Logs.Query(new LogQuery(Limit: 3));

        Assert.Equal(3, items.Count);
        Assert.Equal(20, total);
    }
}

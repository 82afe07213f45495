using System.Text;
using Aspire.Dashboard.Otlp.Http;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace Dashboard.Tests.Otlp;

public class OtlpJsonTests
{
    [Fact]
    public void Trace_ids_are_hex_enums_are_integers_and_64_bit_ints_may_be_strings_or_numbers()
    {
        const string json = """
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"shop"}},{"key":"n","value":{"intValue":"42"}}]},
              "scopeSpans":[{"scope":{"name":"s"},"spans":[{
                "traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"eee19b7ec3c1b174","parentSpanId":"eee19b7ec3c1b173",
                "name":"GET /","kind":2,"startTimeUnixNano":"1544712660000000000","endTimeUnixNano":1544712661000000000,
                "status":{"code":2,"message":"boom"},"someFutureField":{"x":1}}]}]}]}
            """;

        var request = OtlpJson.Parse<ExportTraceServiceRequest>(Encoding.UTF8.GetBytes(json));

        var span = request.ResourceSpans[0].ScopeSpans[0].Spans[0];
        Assert.Equal("5b8efff798038103d269b633813fc60c", Convert.ToHexStringLower(span.TraceId.Span));
        Assert.Equal("eee19b7ec3c1b174", Convert.ToHexStringLower(span.SpanId.Span));
        Assert.Equal("eee19b7ec3c1b173", Convert.ToHexStringLower(span.ParentSpanId.Span));
        Assert.Equal(OpenTelemetry.Proto.Trace.V1.Span.Types.SpanKind.Server, span.Kind);
        Assert.Equal(1544712660000000000UL, span.StartTimeUnixNano);
        Assert.Equal(1544712661000000000UL, span.EndTimeUnixNano);
        Assert.Equal(OpenTelemetry.Proto.Trace.V1.Status.Types.StatusCode.Error, span.Status.Code);
        Assert.Equal(42, request.ResourceSpans[0].Resource.Attributes[1].Value.IntValue);
    }

    [Fact]
    public void Log_records_with_trace_context_and_snake_case_names_parse()
    {
        const string json = """
            {"resource_logs":[{"scope_logs":[{"log_records":[{"time_unix_nano":"1","severity_number":17,"body":{"stringValue":"failed"},
              "trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"b7ad6b7169203331"}]}]}]}
            """;

        var record = OtlpJson.Parse<ExportLogsServiceRequest>(Encoding.UTF8.GetBytes(json)).ResourceLogs[0].ScopeLogs[0].LogRecords[0];

        Assert.Equal(OpenTelemetry.Proto.Logs.V1.SeverityNumber.Error, record.SeverityNumber);
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", Convert.ToHexStringLower(record.TraceId.Span));
        Assert.Equal("failed", record.Body.StringValue);
    }

    [Fact]
    public void Metric_points_and_exemplar_ids_parse()
    {
        const string json = """
            {"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"jobs.completed","sum":{"isMonotonic":true,"aggregationTemporality":2,
              "dataPoints":[{"asInt":"7","timeUnixNano":"5","exemplars":[{"asDouble":1.5,"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331"}]}]}}]}]}]}
            """;

        var metric = OtlpJson.Parse<ExportMetricsServiceRequest>(Encoding.UTF8.GetBytes(json)).ResourceMetrics[0].ScopeMetrics[0].Metrics[0];

        Assert.Equal(7, metric.Sum.DataPoints[0].AsInt);
        Assert.Equal("b7ad6b7169203331", Convert.ToHexStringLower(metric.Sum.DataPoints[0].Exemplars[0].SpanId.Span));
    }

    [Theory]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"not-hex"}]}]}]}""")]
    [InlineData("""{"resourceSpans":[""")]
    [InlineData("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":"soon"}]}]}]}""")]
    [InlineData("null")]
    public void Malformed_json_is_a_format_error(string json)
    {
        var error = Record.Exception(() => OtlpJson.Parse<ExportTraceServiceRequest>(Encoding.UTF8.GetBytes(json)));

        Assert.NotNull(error);
        Assert.True(error is OtlpFormatException or System.Text.Json.JsonException or Google.Protobuf.InvalidJsonException or Google.Protobuf.InvalidProtocolBufferException,
            $"Unexpected {error.GetType()}");
    }
}

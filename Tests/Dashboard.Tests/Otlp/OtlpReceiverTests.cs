using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dashboard.Tests.Infrastructure;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Dashboard.Tests.Otlp;

// Talks to a real dashboard process over its OTLP ports.
public class OtlpReceiverTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private DashboardProcess Dashboard => fixture.Dashboard;

    [Fact]
    public async Task Traces_logs_and_metrics_from_the_OpenTelemetry_dotnet_SDK_over_grpc_are_stored()
    {
        var service = "sdk-" + Guid.NewGuid().ToString("n")[..8];
        var resource = ResourceBuilder.CreateEmpty().AddService(service, serviceInstanceId: service);
        void Configure(OtlpExporterOptions o)
        {
            o.Endpoint = Dashboard.OtlpGrpcUrl;
            o.Protocol = OtlpExportProtocol.Grpc;
            o.Headers = $"x-otlp-api-key={DashboardFixture.OtlpApiKey}";
        }

        using var source = new ActivitySource(service);
        using var meter = new Meter(service);
        var counter = meter.CreateCounter<long>("orders.placed");
        string traceId;
        using (var tracing = Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource).AddSource(service).AddOtlpExporter(Configure).Build())
        using (var metrics = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource).AddMeter(service).AddOtlpExporter(Configure).Build())
        using (var logging = LoggerFactory.Create(b => b.AddOpenTelemetry(o => { o.SetResourceBuilder(resource); o.AddOtlpExporter(Configure); })))
        {
            using (var parent = source.StartActivity("place order", ActivityKind.Server)!)
            {
                traceId = parent.TraceId.ToHexString();
                using (source.StartActivity("charge card"))
                {
                    logging.CreateLogger("Orders").LogWarning("Card for order {OrderId} declined once", 42);
                }
            }

            counter.Add(3, new KeyValuePair<string, object?>("region", "eu"));
            tracing.ForceFlush();
            metrics.ForceFlush();
        }

        var trace = await fixture.WaitForAsync($"/api/v1/traces/{traceId}", t => t.GetProperty("spans").GetArrayLength() == 2);
        Assert.Equal([service], trace.GetProperty("resources").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("place order", trace.GetProperty("spans")[0].GetProperty("name").GetString());

        var logs = await fixture.WaitForAsync($"/api/v1/logs?resource={service}", l => l.GetProperty("total").GetInt32() == 1);
        var log = logs.GetProperty("items")[0];
        Assert.Equal("Warning", log.GetProperty("severity").GetString());
        Assert.Equal(traceId, log.GetProperty("traceId").GetString());
        Assert.Equal("42", log.GetProperty("attributes").GetProperty("OrderId").GetString());

        var metric = await fixture.WaitForAsync($"/api/v1/metrics?resource={service}&name=orders.placed", m => m.GetProperty("points").GetArrayLength() > 0);
        Assert.Equal("Counter", metric.GetProperty("instrument").GetProperty("kind").GetString());
        Assert.Equal(3, metric.GetProperty("points")[0].GetProperty("value").GetDouble());
        Assert.Equal("eu", metric.GetProperty("points")[0].GetProperty("attributes").GetProperty("region").GetString());
    }

    [Fact]
    public async Task Http_accepts_protobuf_and_json_and_answers_in_kind()
    {
        using var http = OtlpHttpClient();
        var protobuf = TestData.Traces(TestData.Resource("http-proto"), TestData.Span(TestData.TraceId(0xa1), TestData.SpanId(1), name: "from protobuf"));

        using var protoResponse = await http.PostAsync("/v1/traces", Content(protobuf.ToByteArray(), "application/x-protobuf"));
        using var jsonResponse = await http.PostAsync("/v1/traces", new StringContent($$$"""
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"http-json"}}]},
             "scopeSpans":[{"spans":[{"traceId":"{{{TestData.TraceId(0xa2)}}}","spanId":"{{{TestData.SpanId(2)}}}","name":"from json","kind":3,
               "startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000500000000"}]}]}]}
            """, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, protoResponse.StatusCode);
        Assert.Equal("application/x-protobuf", protoResponse.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, jsonResponse.StatusCode);
        Assert.Equal("application/json", jsonResponse.Content.Headers.ContentType?.MediaType);
        var json = await fixture.WaitForAsync($"/api/v1/traces/{TestData.TraceId(0xa2)}", _ => true);
        Assert.Equal("Client", json.GetProperty("spans")[0].GetProperty("kind").GetString());
        Assert.Equal(500, json.GetProperty("durationMs").GetDouble());
        var proto = await fixture.WaitForAsync($"/api/v1/traces/{TestData.TraceId(0xa1)}", _ => true);
        Assert.Equal("from protobuf", proto.GetProperty("spans")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Requests_without_the_right_otlp_key_are_refused_on_both_protocols()
    {
        using var http = new HttpClient { BaseAddress = Dashboard.OtlpHttpUrl };
        var body = TestData.Traces(TestData.Resource("intruder"), TestData.Span(TestData.TraceId(0xb1), TestData.SpanId(1))).ToByteArray();

        using var missing = await http.PostAsync("/v1/traces", Content(body, "application/x-protobuf"));
        using var wrong = new HttpRequestMessage(HttpMethod.Post, "/v1/traces") { Content = Content(body, "application/x-protobuf") };
        wrong.Headers.Add("x-otlp-api-key", "guess");
        using var wrongResponse = await http.SendAsync(wrong);
        var (grpcStatus, _, _) = await GrpcExportAsync(GrpcFrame(body), apiKey: null);

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, grpcStatus);
        using var api = fixture.CreateApiClient();
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/traces/{TestData.TraceId(0xb1)}")).StatusCode);
    }

    [Fact]
    public async Task Malformed_payloads_get_an_otlp_error_and_the_receiver_keeps_working()
    {
        using var http = OtlpHttpClient();
        byte[] truncated = [0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01];

        using var badProto = await http.PostAsync("/v1/logs", Content(truncated, "application/x-protobuf"));
        using var badJson = await http.PostAsync("/v1/metrics", new StringContent("{\"resourceMetrics\": [", Encoding.UTF8, "application/json"));
        using var badType = await http.PostAsync("/v1/traces", new StringContent("hello", Encoding.UTF8, "text/plain"));
        var grpc = new List<(HttpStatusCode Http, string? Status, string? Message)>();
        foreach (var service in new[] { "trace.v1.TraceService", "logs.v1.LogsService", "metrics.v1.MetricsService" })
        {
            grpc.Add(await GrpcExportAsync(GrpcFrame(truncated), DashboardFixture.OtlpApiKey, $"/opentelemetry.proto.collector.{service}/Export"));
        }

        Assert.Equal(HttpStatusCode.BadRequest, badProto.StatusCode);
        Assert.Equal("application/x-protobuf", badProto.Content.Headers.ContentType?.MediaType);
        var status = Google.Rpc.Status.Parser.ParseFrom(await badProto.Content.ReadAsByteArrayAsync());
        Assert.Equal(3, status.Code);
        Assert.Contains("ExportLogsServiceRequest", status.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);
        Assert.Contains("\"code\": 3", await badJson.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, badType.StatusCode);

        // gRPC: INVALID_ARGUMENT (3) on a 200 response, naming the message that did not parse, on every service.
        Assert.All(grpc, call => Assert.Equal((HttpStatusCode.OK, "3"), (call.Http, call.Status)));
        Assert.Contains("ExportTraceServiceRequest", grpc[0].Message, StringComparison.Ordinal);
        Assert.Contains("ExportLogsServiceRequest", grpc[1].Message, StringComparison.Ordinal);
        Assert.Contains("ExportMetricsServiceRequest", grpc[2].Message, StringComparison.Ordinal);

        using var good = await http.PostAsync("/v1/traces", Content(TestData.Traces(TestData.Resource("after-bad"), TestData.Span(TestData.TraceId(0xc1), TestData.SpanId(1))).ToByteArray(), "application/x-protobuf"));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        var (_, goodGrpc, _) = await GrpcExportAsync(GrpcFrame(TestData.Traces(TestData.Resource("after-bad"), TestData.Span(TestData.TraceId(0xc2), TestData.SpanId(1))).ToByteArray()), DashboardFixture.OtlpApiKey);
        Assert.Equal("0", goodGrpc);

        // Refused requests are counted, and the count is on the dashboard's own scrape endpoint
        // (ServiceDefaults' /metrics, moved to /prometheus because /metrics is a page here).
        using var scrape = new HttpClient { BaseAddress = Dashboard.FrontendUrl };
        scrape.DefaultRequestHeaders.Add("X-API-Key", DashboardFixture.MetricsKey);
        var metrics = await scrape.GetStringAsync("/prometheus");
        Assert.Matches("dashboard_otlp_requests_failed_total\\{[^}]*protocol=\"http\"[^}]*reason=\"400\"[^}]*\\} [1-9]", metrics);
        Assert.Matches("dashboard_otlp_requests_failed_total\\{[^}]*protocol=\"grpc\"[^}]*reason=\"InvalidArgument\"[^}]*\\} [3-9]", metrics);
    }

    // Well-formed JSON that is not an OTLP message in each way the parser can object: always 400, never 500.
    [Theory]
    [InlineData("{\"resourceSpans\": 5}")]
    [InlineData("{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"traceId\": \"zz\", \"spanId\": \"0102030405060708\"}]}]}]}")]
    [InlineData("{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"startTimeUnixNano\": \"soon\"}]}]}]}")]
    [InlineData("{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"kind\": {\"x\": 1}}]}]}]}")]
    [InlineData("{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"startTimeUnixNano\": 1e400}]}]}]}")]
    [InlineData("[1, 2]")]
    [InlineData("null")]
    public async Task Json_that_is_not_otlp_is_a_400_with_a_status(string body)
    {
        using var http = OtlpHttpClient();

        using var response = await http.PostAsync("/v1/traces", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"code\": 3", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupt_gzip_body_is_a_400_with_a_status()
    {
        using var http = OtlpHttpClient();
        // A gzip header, then a deflate block of the reserved type 3.
        var content = Content([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff, 0x07, 0x00, 0x00], "application/x-protobuf");
        content.Headers.ContentEncoding.Add("gzip");

        using var response = await http.PostAsync("/v1/traces", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(3, Google.Rpc.Status.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync()).Code);
    }

    [Fact]
    public async Task Oversized_requests_are_refused()
    {
        using var http = OtlpHttpClient();
        var huge = TestData.Traces(TestData.Resource("big"), TestData.Span(TestData.TraceId(0xd1), TestData.SpanId(1), name: new string('x', 2 * 1024 * 1024))).ToByteArray();

        using var response = await http.PostAsync("/v1/traces", Content(huge, "application/x-protobuf"));
        var (_, grpcStatus, _) = await GrpcExportAsync(GrpcFrame(huge), DashboardFixture.OtlpApiKey);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(8, Google.Rpc.Status.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync()).Code);
        Assert.Equal("8", grpcStatus);
    }

    [Fact]
    public async Task Each_listener_serves_only_its_own_endpoints()
    {
        using var frontend = new HttpClient { BaseAddress = Dashboard.FrontendUrl };
        frontend.DefaultRequestHeaders.Add("x-otlp-api-key", DashboardFixture.OtlpApiKey);
        using var otlp = new HttpClient { BaseAddress = Dashboard.OtlpHttpUrl };
        otlp.DefaultRequestHeaders.Add("x-api-key", DashboardFixture.ApiKey);

        using var otlpOnFrontend = await frontend.PostAsync("/v1/traces", Content([], "application/x-protobuf"));
        using var apiOnOtlp = await otlp.GetAsync("/api/v1/traces");

        Assert.Equal(HttpStatusCode.NotFound, otlpOnFrontend.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, apiOnOtlp.StatusCode);
    }

    private HttpClient OtlpHttpClient()
    {
        var http = new HttpClient { BaseAddress = Dashboard.OtlpHttpUrl };
        http.DefaultRequestHeaders.Add("x-otlp-api-key", DashboardFixture.OtlpApiKey);
        return http;
    }

    private static ByteArrayContent Content(byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }

    // A raw gRPC call (HTTP/2 with prior knowledge), so a malformed message can be sent as is.
    private static byte[] GrpcFrame(byte[] message)
    {
        var frame = new byte[5 + message.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), message.Length);
        message.CopyTo(frame, 5);
        return frame;
    }

    private async Task<(HttpStatusCode Status, string? GrpcStatus, string? GrpcMessage)> GrpcExportAsync(
        byte[] frame, string? apiKey, string path = "/opentelemetry.proto.collector.trace.v1.TraceService/Export")
    {
        using var http = new HttpClient { BaseAddress = Dashboard.OtlpGrpcUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = Content(frame, "application/grpc"),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (apiKey is not null)
        {
            request.Headers.Add("x-otlp-api-key", apiKey);
        }

        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        return (response.StatusCode, Header("grpc-status"), Header("grpc-message") is { } message ? Uri.UnescapeDataString(message) : null);

        string? Header(string name) =>
            response.TrailingHeaders.TryGetValues(name, out var values) ? values.First()
            : response.Headers.TryGetValues(name, out var headerValues) ? headerValues.First() : null;
    }

}

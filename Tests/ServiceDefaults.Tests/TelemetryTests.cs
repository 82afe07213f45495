using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServiceDefaults.Tests.Infrastructure;

namespace ServiceDefaults.Tests;

public sealed class TelemetryTests
{
    [Fact]
    public async Task Each_request_gets_a_server_span_with_route_template_status_and_request_id()
    {
        var capture = new TelemetryCapture();
        await using var service = await TestService.StartAsync(configure: capture.Attach);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/items/42");
        request.Headers.Add("X-Request-ID", "span-req-1");
        using var response = await service.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();

        var span = await WaitForAsync(() => capture.SpansSnapshot().SingleOrDefault(s => s.Kind == ActivityKind.Server));
        Assert.Equal("/items/{id:int}", span.GetTagItem("http.route"));
        Assert.Equal(200, span.GetTagItem("http.response.status_code"));
        Assert.Equal("span-req-1", span.GetTagItem("request_id"));
        Assert.Equal("GET /items/{id:int}", span.DisplayName);
    }

    [Fact]
    public async Task Unhandled_exception_is_recorded_on_the_span_and_logged_once_at_error_with_request_id()
    {
        var capture = new TelemetryCapture();
        await using var service = await TestService.StartAsync(configure: capture.Attach);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/boom");
        request.Headers.Add("X-Request-ID", "boom-req-1");
        using var response = await service.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);

        var span = await WaitForAsync(() => capture.SpansSnapshot().SingleOrDefault(s => s.Kind == ActivityKind.Server));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        var exceptionEvent = Assert.Single(span.Events, e => e.Name == "exception");
        Assert.Equal(typeof(InvalidOperationException).FullName, exceptionEvent.Tags.Single(t => t.Key == "exception.type").Value);

        var errors = capture.LogsSnapshot().Where(l => l.LogLevel >= LogLevel.Error).ToList();
        var error = Assert.Single(errors);
        Assert.Contains(error.Attributes!, a => a.Key == "request_id" && (string?)a.Value == "boom-req-1");
        Assert.Contains(error.Attributes!, a => a.Key == "exception.type" && (string?)a.Value == typeof(InvalidOperationException).FullName);
        Assert.Equal(span.TraceId, error.TraceId);
    }

    [Fact]
    public async Task Unhandled_exception_is_recorded_on_the_span_in_development_too()
    {
        var capture = new TelemetryCapture();
        await using var service = await TestService.StartAsync(environment: "Development", configure: capture.Attach);
        (await service.Http.GetAsync("/boom")).Dispose();

        var span = await WaitForAsync(() => capture.SpansSnapshot().SingleOrDefault(s => s.Kind == ActivityKind.Server));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Single(span.Events, e => e.Name == "exception");
        Assert.Single(capture.LogsSnapshot(), l => l.LogLevel >= LogLevel.Error);
    }

    [Fact]
    public async Task Trace_context_and_request_id_propagate_to_outgoing_calls_through_service_discovery()
    {
        await using var downstream = await TestService.StartAsync(map: app => app.MapGet("/echo", (HttpContext context) =>
            $"{context.Request.Headers["traceparent"]}|{context.Request.Headers["X-Request-ID"]}"));
        var capture = new TelemetryCapture();
        await using var upstream = await TestService.StartAsync(
            map: app => app.MapGet("/call", async (IHttpClientFactory factory) =>
                await factory.CreateClient("downstream").GetStringAsync(new Uri("http://downstream/echo"))),
            configuration: new Dictionary<string, string?> { ["services:downstream:http:0"] = downstream.BaseAddress.ToString().TrimEnd('/') },
            configure: builder =>
            {
                capture.Attach(builder);
                builder.Services.AddHttpClient("downstream");
            });

        using var request = new HttpRequestMessage(HttpMethod.Get, "/call");
        request.Headers.Add("X-Request-ID", "prop-1");
        using var response = await upstream.Http.SendAsync(request);
        var echoed = (await response.Content.ReadAsStringAsync()).Split('|');

        var server = await WaitForAsync(() => capture.SpansSnapshot().SingleOrDefault(s => s.Kind == ActivityKind.Server && (string?)s.GetTagItem("url.path") == "/call"));
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", echoed[0]);
        Assert.Equal(server.TraceId.ToHexString(), echoed[0].Split('-')[1]);
        Assert.Equal("prop-1", echoed[1]);
        var client = Assert.Single(capture.SpansSnapshot(), s => s.Kind == ActivityKind.Client && s.ParentSpanId == server.SpanId);
        Assert.Equal(echoed[0].Split('-')[2], client.SpanId.ToHexString());
    }

    [Fact]
    public async Task Probes_are_not_traced()
    {
        var capture = new TelemetryCapture();
        await using var service = await TestService.StartAsync(configure: capture.Attach);
        (await service.Http.GetAsync("/health/live")).Dispose();
        (await service.Http.GetAsync("/alive")).Dispose();
        (await service.Http.GetAsync("/items/1")).Dispose();
        await WaitForAsync(() => capture.SpansSnapshot().SingleOrDefault(s => s.Kind == ActivityKind.Server));
        Assert.DoesNotContain(capture.SpansSnapshot(), s => s.DisplayName.Contains("health", StringComparison.Ordinal) || s.DisplayName.Contains("alive", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sampling_is_parent_based_with_a_configurable_ratio()
    {
        var capture = new TelemetryCapture();
        await using var service = await TestService.StartAsync(
            configuration: new Dictionary<string, string?> { ["OTEL_TRACES_SAMPLER_ARG"] = "0" },
            configure: capture.Attach);

        (await service.Http.GetAsync("/items/1")).Dispose();
        using var sampledParent = new HttpRequestMessage(HttpMethod.Get, "/items/2");
        sampledParent.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        (await service.Http.SendAsync(sampledParent)).Dispose();

        var span = await WaitForAsync(() => capture.SpansSnapshot().SingleOrDefault(s => s.Kind == ActivityKind.Server));
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", span.TraceId.ToHexString());
        Assert.Single(capture.SpansSnapshot(), s => s.Kind == ActivityKind.Server);
    }

    [Fact]
    public async Task Access_log_has_one_stdout_line_per_request_with_route_template_and_no_query_values()
    {
        var capture = new TelemetryCapture();
        await using var service = await TestService.StartAsync(configure: capture.Attach);
        (await service.Http.GetAsync("/items/77?secretquery=zebra")).Dispose();
        (await service.Http.GetAsync("/no/such/path")).Dispose();

        var lines = await WaitForAsync(() =>
        {
            var access = capture.ConsoleSnapshot().Where(l => l.Contains("\"category\":\"AccessLog\"", StringComparison.Ordinal)).ToList();
            return access.Count >= 2 ? access : null;
        });
        Assert.Equal(2, lines.Count);
        var first = System.Text.Json.JsonDocument.Parse(lines[0]).RootElement.GetProperty("fields");
        Assert.Equal("GET", first.GetProperty("method").GetString());
        Assert.Equal("/items/{id:int}", first.GetProperty("route").GetString());
        Assert.Equal(200, first.GetProperty("status").GetInt32());
        Assert.True(first.GetProperty("duration_ms").GetDouble() > 0);
        Assert.Equal("127.0.0.1", first.GetProperty("client_ip").GetString());
        Assert.DoesNotContain("zebra", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("77", first.GetProperty("route").GetString(), StringComparison.Ordinal);
        Assert.Equal(404, System.Text.Json.JsonDocument.Parse(lines[1]).RootElement.GetProperty("fields").GetProperty("status").GetInt32());

        // Over OTLP the server span carries the same facts; the access log stays on stdout unless asked for.
        Assert.DoesNotContain(capture.LogsSnapshot(), l => l.CategoryName == "AccessLog");
    }

    [Fact]
    public async Task Access_log_can_be_exported_over_otlp_too()
    {
        var capture = new TelemetryCapture();
        await using var service = await TestService.StartAsync(
            configuration: new Dictionary<string, string?> { ["Logging:OpenTelemetry:LogLevel:AccessLog"] = "Information" },
            configure: capture.Attach);
        (await service.Http.GetAsync("/items/1")).Dispose();
        var line = await WaitForAsync(() => capture.LogsSnapshot().FirstOrDefault(l => l.CategoryName == "AccessLog"));
        Assert.Contains(line.Attributes!, a => a.Key == "route" && (string?)a.Value == "/items/{id:int}");
    }

    internal static async Task<T> WaitForAsync<T>(Func<T?> probe) where T : class
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            if (probe() is { } value)
            {
                return value;
            }
            await Task.Delay(20, timeout.Token);
        }
    }
}

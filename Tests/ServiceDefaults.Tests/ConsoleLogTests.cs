using System.Diagnostics;
using System.Text.Json;
using ServiceDefaults.Tests.Infrastructure;

namespace ServiceDefaults.Tests;

public sealed class ConsoleLogTests
{
    [Fact]
    public async Task Outside_development_console_lines_are_json_with_the_correlation_fields()
    {
        var capture = new TelemetryCapture();
        await using var service = await TestService.StartAsync(configure: capture.Attach);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/items/5");
        request.Headers.Add("X-Request-ID", "json-log-1");
        (await service.Http.SendAsync(request)).Dispose();

        var line = await TelemetryTests.WaitForAsync(() => capture.ConsoleSnapshot().FirstOrDefault(l => l.Contains("\"category\":\"AccessLog\"", StringComparison.Ordinal)));
        Assert.Single(line.TrimEnd().Split('\n'));
        var json = JsonDocument.Parse(line).RootElement;
        Assert.True(json.GetProperty("timestamp").TryGetDateTimeOffset(out _));
        Assert.Equal("Information", json.GetProperty("level").GetString());
        Assert.Equal("GET /items/{id:int} 200", string.Join(' ', json.GetProperty("message").GetString()!.Split(' ').Take(3)));
        Assert.Equal("/items/{id:int}", json.GetProperty("fields").GetProperty("route").GetString());
        Assert.Equal(200, json.GetProperty("fields").GetProperty("status").GetInt32());
        Assert.Equal("json-log-1", json.GetProperty("request_id").GetString());
        Assert.Matches("^[0-9a-f]{32}$", json.GetProperty("trace_id").GetString());
        Assert.Matches("^[0-9a-f]{16}$", json.GetProperty("span_id").GetString());
        Assert.Equal("test-service", json.GetProperty("service").GetString());

        var server = await TelemetryTests.WaitForAsync(() => capture.SpansSnapshot().SingleOrDefault(s => s.Kind == ActivityKind.Server));
        Assert.Equal(server.TraceId.ToHexString(), json.GetProperty("trace_id").GetString());
    }

    [Fact]
    public async Task Exceptions_are_in_the_json_line_redacted()
    {
        var capture = new TelemetryCapture();
        await using var service = await TestService.StartAsync(configure: capture.Attach);
        (await service.Http.GetAsync("/boom")).Dispose();

        var line = await TelemetryTests.WaitForAsync(() => capture.ConsoleSnapshot().FirstOrDefault(l => l.Contains("\"level\":\"Error\"", StringComparison.Ordinal)));
        var json = JsonDocument.Parse(line).RootElement;
        var exception = json.GetProperty("exception").GetString()!;
        Assert.Contains("InvalidOperationException", exception, StringComparison.Ordinal);
        Assert.Contains("Password=[REDACTED]", exception, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_development_console_lines_are_readable_text()
    {
        var capture = new TelemetryCapture();
        await using var service = await TestService.StartAsync(environment: "Development", configure: capture.Attach);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/items/5");
        request.Headers.Add("X-Request-ID", "text-log-1");
        (await service.Http.SendAsync(request)).Dispose();

        var line = await TelemetryTests.WaitForAsync(() => capture.ConsoleSnapshot().FirstOrDefault(l => l.Contains(" AccessLog: ", StringComparison.Ordinal)));
        Assert.Matches(@"^\d\d:\d\d:\d\d\.\d{3} info AccessLog: GET /items/\{id:int\} 200 [\d.]+ ms 127\.0\.0\.1 \[text-log-1\]", line);
    }

    [Fact]
    public async Task Json_can_be_forced_in_development()
    {
        var capture = new TelemetryCapture();
        await using var service = await TestService.StartAsync(
            environment: "Development",
            configuration: new Dictionary<string, string?> { ["Logging:Console:FormatterOptions:Json"] = "true" },
            configure: capture.Attach);
        (await service.Http.GetAsync("/items/5")).Dispose();
        var line = await TelemetryTests.WaitForAsync(() => capture.ConsoleSnapshot().FirstOrDefault(l => l.Contains("AccessLog", StringComparison.Ordinal)));
        Assert.Equal("AccessLog", JsonDocument.Parse(line).RootElement.GetProperty("category").GetString());
    }
}

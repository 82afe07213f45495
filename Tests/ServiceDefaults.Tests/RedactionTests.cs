using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ServiceDefaults.Tests.Infrastructure;

namespace ServiceDefaults.Tests;

internal sealed record Signup(string Email, string Password, string Card, string Phone);

/// <summary>
/// A careless endpoint puts a request's secrets and personal data everywhere it can: log arguments, a serialized
/// payload, a scope, span attributes, a span event and an exception message. None of it may leave the process.
/// </summary>
public sealed class RedactionTests
{
    private const string Email = "jane.doe@example.com";
    private const string Password = "Hunter2-Pa55word";
    private const string Card = "4111 1111 1111 1111";
    private const string Phone = "+1 (555) 123-4567";
    private const string Bearer = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.c2lnbmF0dXJlLXNlY3JldA";

    private static readonly string[] Secrets = [TestService.ApiKey, Password, Email, Card, Card.Replace(" ", "", StringComparison.Ordinal), Phone, Bearer];

    [Fact]
    public async Task Secrets_and_personal_data_appear_in_no_log_span_console_line_or_metrics()
    {
        var capture = new TelemetryCapture();
        await using var service = await TestService.StartAsync(map: MapCarelessSignup, configure: capture.Attach);

        using var response = await SendSignupAsync(service);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var metrics = await MetricsEndpointTests.ScrapeAsync(service.Http, "/metrics");

        var spans = await TelemetryTests.WaitForAsync(() => capture.SpansSnapshot() is { Count: > 0 } s && s.Any(x => x.Events.Any()) ? s : null);
        var logs = capture.LogsSnapshot();
        var console = capture.ConsoleSnapshot();
        var exported = string.Join("\n", logs.Select(TelemetryCapture.Describe).Concat(spans.Select(TelemetryCapture.Describe)).Concat(console));

        // The careless data was there to leak: the masks show it was caught, not missing.
        Assert.Contains("[EMAIL]", exported, StringComparison.Ordinal);
        Assert.Contains("[CARD]", exported, StringComparison.Ordinal);
        Assert.Contains("[PHONE]", exported, StringComparison.Ordinal);
        Assert.Contains(logs, l => l.CategoryName!.Contains("Signup", StringComparison.Ordinal));
        Assert.Contains(console, l => l.Contains("\"fields\":", StringComparison.Ordinal));
        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(secret, exported, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, metrics, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("http/protobuf")]
    [InlineData("grpc")]
    public async Task Otlp_export_is_redacted_on_the_wire_with_the_configured_protocol(string protocol)
    {
        await using var receiver = await OtlpReceiver.StartAsync(grpc: protocol == "grpc");
        await using (var service = await TestService.StartAsync(map: MapCarelessSignup, configuration: new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol,
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        }))
        {
            (await SendSignupAsync(service)).Dispose();
            await TelemetryTests.WaitForAsync(() => receiver.Requests.Any(r => r.Path.Contains("race", StringComparison.Ordinal))
                && receiver.Requests.Any(r => r.Path.Contains("ogs", StringComparison.Ordinal)) ? receiver : null);
        }

        var paths = receiver.Requests.Select(r => r.Path).Distinct().ToList();
        if (protocol == "grpc")
        {
            Assert.Contains("/opentelemetry.proto.collector.trace.v1.TraceService/Export", paths);
            Assert.Contains("/opentelemetry.proto.collector.logs.v1.LogsService/Export", paths);
            Assert.All(receiver.Requests, r => Assert.StartsWith("application/grpc", r.ContentType, StringComparison.Ordinal));
        }
        else
        {
            Assert.Contains("/v1/traces", paths);
            Assert.Contains("/v1/logs", paths);
            Assert.All(receiver.Requests, r => Assert.Equal("application/x-protobuf", r.ContentType));
        }
        var wire = string.Join("\n", receiver.Requests.Select(r => Encoding.UTF8.GetString(r.Body)));
        Assert.Contains("[EMAIL]", wire, StringComparison.Ordinal);
        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(secret, wire, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Nothing_is_exported_without_an_otlp_endpoint()
    {
        // Listen where an exporter with defaults would send (OTLP/HTTP's default http://localhost:4318).
        OtlpReceiver receiver;
        try
        {
            receiver = await OtlpReceiver.StartAsync(grpc: false, port: 4318);
        }
        catch (IOException ex)
        {
            Console.WriteLine($"Nothing_is_exported_without_an_otlp_endpoint not run: port 4318 is taken ({ex.Message}).");
            return;
        }
        await using (receiver)
        {
            await using (var service = await TestService.StartAsync(map: MapCarelessSignup, configuration: new Dictionary<string, string?>
            {
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
                ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "100",
            }))
            {
                (await SendSignupAsync(service)).Dispose();
                // Absence has no signal to wait on: give the batch processors many export intervals.
                await Task.Delay(TimeSpan.FromSeconds(1.5));
            }
            Assert.Empty(receiver.Requests);
        }
    }

    private static async Task<HttpResponseMessage> SendSignupAsync(TestService service)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/signup?email=" + Uri.EscapeDataString(Email))
        {
            Content = JsonContent.Create(new Signup(Email, Password, Card, Phone)),
        };
        request.Headers.Add("X-API-Key", TestService.ApiKey);
        request.Headers.Add("X-Debug-Token", Bearer);
        request.Headers.TryAddWithoutValidation("Cookie", "session=" + Password);
        return await service.Http.SendAsync(request);
    }

    private static void MapCarelessSignup(WebApplication app) =>
        app.MapPost("/signup", (Signup signup, HttpContext context, ILoggerFactory loggers) =>
        {
            var logger = loggers.CreateLogger("Careless.Signup");
            var apiKey = context.Request.Headers["X-API-Key"].ToString();
            using (logger.BeginScope(new Dictionary<string, object> { ["customer"] = signup.Email, ["Authorization"] = apiKey }))
            {
                logger.LogInformation("Signup from {Email} with {Password}, card {CardNumber}, phone {Phone}, key {Key}",
                    signup.Email, signup.Password, signup.Card, signup.Phone, apiKey);
                logger.LogInformation("Payload {Payload} token {Debug}", JsonSerializer.Serialize(signup), context.Request.Headers["X-Debug-Token"].ToString());
                logger.LogWarning("Headers {Headers}", string.Join("; ", context.Request.Headers.Select(h => $"{h.Key}: {h.Value}")));
            }
            var span = Activity.Current!;
            span.SetTag("user.email", signup.Email);
            span.SetTag("user.card", signup.Card);
            span.SetTag("http.request.header.x-api-key", apiKey);
            span.SetTag("user.phone", signup.Phone);
            span.AddEvent(new ActivityEvent("signup.received", tags: new ActivityTagsCollection
            {
                ["password"] = signup.Password,
                ["note"] = $"mail {signup.Email} card {signup.Card}",
            }));
            span.SetStatus(ActivityStatusCode.Unset, $"processing {signup.Email}");
            throw new InvalidOperationException($"signup failed for {signup.Email} card {signup.Card} password={signup.Password} key {apiKey}");
        });
}

using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aspire.Hosting.Testing;
using Jobs.Contracts;
using Jobs.Model;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Observability;

/// <summary>The system with the dashboard running, so Api and Workers export OTLP to it as they do under the AppHost.</summary>
public sealed class DashboardApp : JobsApp
{
    public string DashboardApiKey { get; } = "dashboard-" + Guid.NewGuid().ToString("N");

    public HttpClient Dashboard { get; private set; } = null!;

    protected override int WorkerReplicas => 1;

    protected override IEnumerable<string> AppHostArgs => ["--DisableDashboard=false", $"--AppHost:DashboardApiKey={DashboardApiKey}"];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("aspire-dashboard", timeout.Token);
        Dashboard = App.CreateHttpClient("aspire-dashboard", "http");
        Dashboard.DefaultRequestHeaders.Add("x-api-key", DashboardApiKey);
    }

    public override async Task DisposeAsync()
    {
        Dashboard?.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>Polls the dashboard's JSON API until <paramref name="done"/> holds for the answer (telemetry is exported in batches).</summary>
    public async Task<JsonElement> WaitForAsync(string url, Func<JsonElement, bool> done)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        JsonElement last = default;
        while (!timeout.IsCancellationRequested)
        {
            using var response = await Dashboard.GetAsync(url, timeout.Token);
            if (response.IsSuccessStatusCode)
            {
                last = await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
                if (done(last))
                {
                    return last;
                }
            }
            await Task.Delay(250, timeout.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        throw new TimeoutException($"{url} did not reach the expected state within 60 s; last answer: {last}");
    }
}

/// <summary>
/// One trace from the client's request through the Api's enqueue (producer) to the worker's run (consumer) and each
/// agent step, read back from the dashboard the services export to; and worker logs that carry the job and request ids.
/// </summary>
public sealed class TraceTests(DashboardApp app) : IClassFixture<DashboardApp>
{
    [Fact]
    public async Task Request_enqueue_run_and_steps_form_one_trace_with_job_attributes()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var clientSpanId = ActivitySpanId.CreateRandom().ToHexString();
        var job = await PostAsync(traceId, clientSpanId, "trace-" + Guid.NewGuid().ToString("N"), new
        {
            type = "agent",
            input = new { steps = new object[] { new { tool = "echo", name = "first", input = "hello" }, new { tool = "uppercase", name = "second" } } },
        });
        Assert.Equal(JobState.Succeeded, (await app.WaitForFinishAsync(job.Id)).State);

        var trace = await app.WaitForAsync($"/api/v1/traces/{traceId}", t =>
            Spans(t).Count(s => s.GetProperty("name").GetString()!.StartsWith("step ", StringComparison.Ordinal)) == 2
            && Spans(t).Any(s => s.GetProperty("kind").GetString() == "Server"));
        var spans = Spans(trace);

        var server = Single(spans, s => Kind(s) == "Server" && Resource(s) == "api");
        Assert.Equal(clientSpanId, server.GetProperty("parentSpanId").GetString());

        var enqueue = Single(spans, s => Name(s) == "enqueue agent");
        Assert.Equal(("Producer", "api"), (Kind(enqueue), Resource(enqueue)));
        Assert.Equal(SpanId(server), enqueue.GetProperty("parentSpanId").GetString());
        AssertJobAttributes(enqueue, job.Id, attempt: null);

        var run = Single(spans, s => Name(s) == "run agent");
        Assert.Equal("Consumer", Kind(run));
        Assert.StartsWith("worker", Resource(run), StringComparison.Ordinal);
        Assert.Equal(SpanId(enqueue), run.GetProperty("parentSpanId").GetString());
        AssertJobAttributes(run, job.Id, attempt: 1);

        foreach (var name in new[] { "step first", "step second" })
        {
            var step = Single(spans, s => Name(s) == name);
            Assert.Equal(SpanId(run), step.GetProperty("parentSpanId").GetString());
            AssertJobAttributes(step, job.Id, attempt: 1);
        }

        // The stored context is the producer span's, which is what made the worker's span its child.
        await using var command = app.Db.CreateCommand("SELECT trace_parent FROM jobs WHERE id = $1");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = job.Id });
        Assert.Equal($"00-{traceId}-{SpanId(enqueue)}-01", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Worker_logs_of_a_job_carry_its_job_id_request_id_and_trace_id()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var requestId = "logs-" + Guid.NewGuid().ToString("N");
        // One deliberate failure: the worker logs a warning for the failed attempt, then the retry succeeds.
        var job = await PostAsync(traceId, ActivitySpanId.CreateRandom().ToHexString(), requestId, new { type = "fail", input = new { failures = 1 }, maxAttempts = 2 });
        Assert.Equal(JobState.Succeeded, (await app.WaitForFinishAsync(job.Id)).State);

        var logs = await app.WaitForAsync($"/api/v1/logs?traceId={traceId}", l =>
            l.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("resource").GetString()!.StartsWith("worker", StringComparison.Ordinal)));
        var warning = logs.GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("resource").GetString()!.StartsWith("worker", StringComparison.Ordinal) && i.GetProperty("severity").GetString() == "Warning");

        var attributes = warning.GetProperty("attributes");
        Assert.Equal(job.Id.ToString(), attributes.GetProperty("job_id").GetString());
        Assert.Equal(requestId, attributes.GetProperty("request_id").GetString());
        Assert.Equal(traceId, warning.GetProperty("traceId").GetString());
    }

    private async Task<JobRecord> PostAsync(string traceId, string parentSpanId, string requestId, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs")
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{parentSpanId}-01");
        request.Headers.Add("X-Request-ID", requestId);
        using var response = await app.Api.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JobRecord>(JobsJson.Options))!;
    }

    private static void AssertJobAttributes(JsonElement span, Guid jobId, int? attempt)
    {
        var attributes = span.GetProperty("attributes");
        Assert.Equal(jobId.ToString(), attributes.GetProperty("job.id").GetString());
        Assert.Equal("agent", attributes.GetProperty("job.type").GetString());
        if (attempt is not null)
        {
            Assert.Equal(attempt.ToString(), attributes.GetProperty("job.attempt").GetString());
        }
    }

    private static List<JsonElement> Spans(JsonElement trace) => [.. trace.GetProperty("spans").EnumerateArray()];

    private static JsonElement Single(List<JsonElement> spans, Func<JsonElement, bool> match)
    {
        var found = spans.Where(match).ToList();
        Assert.True(found.Count == 1, $"expected one matching span, found {found.Count} in: {string.Join(", ", spans.Select(s => $"{Resource(s)}/{Name(s)}/{Kind(s)}"))}");
        return found[0];
    }

    private static string Name(JsonElement span) => span.GetProperty("name").GetString()!;

    private static string Kind(JsonElement span) => span.GetProperty("kind").GetString()!;

    private static string Resource(JsonElement span) => span.GetProperty("resource").GetString()!;

    private static string SpanId(JsonElement span) => span.GetProperty("spanId").GetString()!;
}

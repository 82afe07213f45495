using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Contracts;
using Jobs.Model;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Api;

[Collection(SharedAppCollection.Name)]
public sealed class JobLifecycleTests(JobsApp app)
{
    [Fact]
    public async Task Echo_job_succeeds_with_its_input_as_result()
    {
        var job = await app.EnqueueAsync("echo", new { text = "ping" });
        var done = await app.WaitForFinishAsync(job.Id);
        Assert.Equal(JobState.Succeeded, done.State);
        Assert.Equal("ping", done.Result!.Value.GetProperty("text").GetString());
        Assert.Equal(1, done.Attempt);
    }

    [Fact]
    public async Task Delay_job_succeeds_after_its_delay()
    {
        var job = await app.EnqueueAsync("delay", new { ms = 300 });
        var done = await app.WaitForFinishAsync(job.Id);
        Assert.Equal(JobState.Succeeded, done.State);
        Assert.True(done.FinishedAt - done.StartedAt >= TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task Agent_job_records_every_step_and_pipes_outputs()
    {
        var job = await app.EnqueueAsync("agent", new
        {
            steps = new object[]
            {
                new { tool = "echo", name = "start", input = "hello" },
                new { tool = "uppercase" },
                new { tool = "sleep", input = 50 },
                new { tool = "hash", input = "abc" },
            },
        });
        var done = await app.WaitForFinishAsync(job.Id);

        Assert.Equal(JobState.Succeeded, done.State);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", done.Result!.Value.GetProperty("output").GetString());
        var steps = await app.Api.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{job.Id}/steps");
        var list = steps.GetProperty("steps").Deserialize<List<JobStep>>(JobsJson.Options)!;
        Assert.Equal(["start", "uppercase", "sleep", "hash"], list.Select(s => s.Name));
        Assert.All(list, s => Assert.Equal(JobStepState.Succeeded, s.State));
        Assert.Equal("\"HELLO\"", list[1].Output);
        Assert.True(list[2].DurationMs >= 50);
    }

    [Fact]
    public async Task Agent_http_get_and_webhook_refuse_loopback_targets()
    {
        var agent = await app.EnqueueAsync("agent", new { steps = new[] { new { tool = "http-get", input = "http://127.0.0.1:1/secret" } } }, maxAttempts: 1);
        var webhook = await app.EnqueueAsync("webhook", new { url = "http://localhost:1/hook", payload = new { a = 1 } }, maxAttempts: 1);

        var agentDone = await app.WaitForFinishAsync(agent.Id);
        var webhookDone = await app.WaitForFinishAsync(webhook.Id);

        Assert.Equal((JobState.Dead, "outbound_refused"), (agentDone.State, agentDone.Error!.Type));
        Assert.Equal((JobState.Dead, "outbound_refused"), (webhookDone.State, webhookDone.Error!.Type));
    }

    [Fact]
    public async Task Failing_job_retries_with_backoff_until_it_succeeds()
    {
        var job = await app.EnqueueAsync("fail", new { failures = 2 }, maxAttempts: 3);
        var done = await app.WaitForFinishAsync(job.Id);
        Assert.Equal(JobState.Succeeded, done.State);
        Assert.Equal(3, done.Attempt);
        Assert.Equal(3, done.Result!.Value.GetProperty("succeededOnAttempt").GetInt32());
    }

    [Fact]
    public async Task Failing_job_is_dead_after_max_attempts_with_its_error()
    {
        var job = await app.EnqueueAsync("fail", new { failures = 10, message = "always broken" }, maxAttempts: 2);
        var done = await app.WaitForFinishAsync(job.Id);
        Assert.Equal(JobState.Dead, done.State);
        Assert.Equal(2, done.Attempt);
        Assert.Equal(new JobError("always broken", "deliberate"), done.Error);
        using var result = await app.Api.GetAsync($"/api/v1/jobs/{job.Id}/result");
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
    }

    [Fact]
    public async Task Job_running_past_its_types_timeout_is_stopped_and_fails_with_a_timeout_error()
    {
        // The test app gives agent jobs a 5 s timeout.
        var job = await app.EnqueueAsync("agent", new { steps = new[] { new { tool = "sleep", input = 60_000 } } }, maxAttempts: 1);
        var done = await app.WaitForFinishAsync(job.Id, TimeSpan.FromSeconds(60));

        Assert.Equal((JobState.Dead, "timeout"), (done.State, done.Error!.Type));
        Assert.InRange(done.FinishedAt!.Value - done.StartedAt!.Value, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Cancelling_a_waiting_job_cancels_it_at_once()
    {
        using var created = await app.Api.PostAsJsonAsync("/api/v1/jobs", new { type = "echo", runAt = DateTimeOffset.UtcNow.AddHours(1) });
        var job = (await created.Content.ReadFromJsonAsync<JobRecord>(JobsJson.Options))!;
        Assert.Equal(JobState.Scheduled, job.State);

        using var cancel = await app.Api.PostAsync($"/api/v1/jobs/{job.Id}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal(JobState.Cancelled, (await app.GetAsync(job.Id)).State);
        using var again = await app.Api.PostAsync($"/api/v1/jobs/{job.Id}/cancel", null);
        await EndpointTests.AssertProblemAsync(again, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Cancelling_a_running_job_fires_the_handlers_token_on_its_worker()
    {
        var job = await app.EnqueueAsync("delay", new { ms = 60_000 });
        await app.WaitForStateAsync(job.Id, j => j.State == JobState.Running);

        using var cancel = await app.Api.PostAsync($"/api/v1/jobs/{job.Id}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        var done = await app.WaitForFinishAsync(job.Id, TimeSpan.FromSeconds(10));

        Assert.Equal(JobState.Cancelled, done.State);
        Assert.True(done.FinishedAt - done.StartedAt < TimeSpan.FromSeconds(10), "the delay was interrupted, not waited out");
    }

    [Fact]
    public async Task Result_is_202_while_running_and_200_when_done()
    {
        var job = await app.EnqueueAsync("delay", new { ms = 1500 });
        using (var early = await app.Api.GetAsync($"/api/v1/jobs/{job.Id}/result"))
        {
            Assert.Equal(HttpStatusCode.Accepted, early.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), early.Headers.RetryAfter!.Delta);
        }
        await app.WaitForFinishAsync(job.Id);
        var result = await app.Api.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{job.Id}/result");
        Assert.Equal(1500, result.GetProperty("result").GetProperty("delayedMs").GetInt32());
    }

    [Fact]
    public async Task Event_stream_reports_state_and_step_changes_until_the_job_finishes()
    {
        var job = await app.EnqueueAsync("agent", new { steps = new object[] { new { tool = "sleep", input = 200 }, new { tool = "echo", input = "x" } } });
        var events = new List<(string Event, JsonElement Data)>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await foreach (var item in app.ReadEventsAsync(job.Id, timeout.Token))
        {
            events.Add(item);
        }

        var states = events.Where(e => e.Event == "state").Select(e => e.Data.GetProperty("state").GetString()).ToList();
        Assert.Equal(JobState.Succeeded, states[^1]);
        Assert.Contains(JobState.Running, states);
        var steps = events.Where(e => e.Event == "step").Select(e => (e.Data.GetProperty("index").GetInt32(), e.Data.GetProperty("state").GetString())).ToList();
        Assert.Contains((0, JobStepState.Succeeded), steps);
        Assert.Contains((1, JobStepState.Succeeded), steps);
    }

    [Fact]
    public async Task Job_stores_the_request_trace_context_for_the_worker_span()
    {
        var job = await app.EnqueueAsync("echo");
        await using var command = app.Db.CreateCommand("SELECT trace_parent FROM jobs WHERE id = $1");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = job.Id });
        var traceParent = (string)(await command.ExecuteScalarAsync())!;
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", traceParent);
    }
}

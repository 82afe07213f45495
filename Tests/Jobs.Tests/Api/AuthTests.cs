using System.Net;
using System.Net.Http.Json;
using System.Text;
using Aspire.Hosting.Testing;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Api;

/// <summary>API keys and scopes (ServiceDefaults' authentication) on the jobs endpoints and on <c>/metrics</c>.</summary>
[Collection(SharedAppCollection.Name)]
public sealed class AuthTests(JobsApp app)
{
    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    public async Task Requests_without_a_valid_key_get_a_401_problem(string? key)
    {
        using var client = app.App.CreateHttpClient("api");
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-API-Key", key);
        }
        using var list = await client.GetAsync("/api/v1/jobs");
        using var create = await client.PostAsJsonAsync("/api/v1/jobs", new { type = "echo" });

        await EndpointTests.AssertProblemAsync(list, HttpStatusCode.Unauthorized);
        await EndpointTests.AssertProblemAsync(create, HttpStatusCode.Unauthorized);
        Assert.NotEmpty(list.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task Bearer_token_is_accepted_like_X_API_Key()
    {
        using var client = app.App.CreateHttpClient("api");
        client.DefaultRequestHeaders.Authorization = new("Bearer", app.ApiKey);
        using var response = await client.GetAsync("/api/v1/jobs?limit=1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Key_without_the_write_scope_may_read_but_gets_a_403_problem_for_writes_and_nothing_is_written()
    {
        var job = await app.EnqueueAsync("delay", new { ms = 60_000 });
        using var reader = app.CreateApiClient("api", app.ReaderKey);
        var before = await CountJobsAsync();

        using var read = await reader.GetAsync($"/api/v1/jobs/{job.Id}");
        using var create = await reader.PostAsJsonAsync("/api/v1/jobs", new { type = "echo" });
        using var batch = await reader.PostAsJsonAsync("/api/v1/jobs/batch", new { jobs = new[] { new { type = "echo" } } });
        using var cancel = await reader.PostAsync($"/api/v1/jobs/{job.Id}/cancel", null);
        using var delete = await reader.DeleteAsync($"/api/v1/jobs/{job.Id}");
        using var tool = await reader.PostAsJsonAsync("/api/v1/tools/echo", new { a = 1 });

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        foreach (var refused in new[] { create, batch, cancel, delete, tool })
        {
            await EndpointTests.AssertProblemAsync(refused, HttpStatusCode.Forbidden);
        }
        Assert.Equal(before, await CountJobsAsync());
        Assert.False((await app.GetAsync(job.Id)).CancelRequested);
        using var _ = await app.Api.PostAsync($"/api/v1/jobs/{job.Id}/cancel", null);
    }

    [Fact]
    public async Task Metrics_need_a_key_with_the_metrics_scope_and_show_the_Jobs_meter_of_Api_and_Workers()
    {
        using var anonymous = app.App.CreateHttpClient("api");
        using var reader = app.CreateApiClient("api", app.ReaderKey);
        await EndpointTests.AssertProblemAsync(await anonymous.GetAsync("/metrics"), HttpStatusCode.Unauthorized);
        await EndpointTests.AssertProblemAsync(await reader.GetAsync("/metrics"), HttpStatusCode.Forbidden);

        var job = await app.EnqueueAsync("echo", new { metrics = true });
        await app.WaitForFinishAsync(job.Id);

        using var worker0 = await app.CreateReplicaClientAsync("worker-0");
        using var worker1 = await app.CreateReplicaClientAsync("worker-1");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string api, workers;
        while (true)
        {
            api = await app.Api.GetStringAsync("/metrics", timeout.Token);
            workers = await worker0.GetStringAsync("/metrics", timeout.Token) + await worker1.GetStringAsync("/metrics", timeout.Token);
            // The queue depth gauge comes from whichever worker leads maintenance, on its own interval.
            if (workers.Contains("jobs_queue_depth{", StringComparison.Ordinal))
            {
                break;
            }
            await Task.Delay(500, timeout.Token);
        }

        Assert.Matches("""jobs_created_total\{[^}]*job_type="echo"[^}]*\} [1-9]""", api);
        Assert.Matches("""jobs_completed_total\{[^}]*job_outcome="succeeded"[^}]*job_type="echo"[^}]*\} [1-9]""", workers);
        Assert.Contains("jobs_duration_seconds_bucket{", workers, StringComparison.Ordinal);
        Assert.Contains("jobs_queue_wait_seconds_bucket{", workers, StringComparison.Ordinal);
        Assert.Contains("jobs_running{", workers, StringComparison.Ordinal);
        Assert.Matches("""jobs_queue_depth\{[^}]*queue="[a-z0-9_-]+"[^}]*state="[a-z]+"[^}]*\} [1-9]""", workers);
    }

    [Fact]
    public async Task The_request_id_a_client_sends_is_echoed_and_stored_with_the_job()
    {
        var requestId = "client-" + Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs")
        {
            Content = new StringContent("""{"type":"echo"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Request-ID", requestId);

        using var response = await app.Api.SendAsync(request);
        var job = await response.Content.ReadFromJsonAsync<Jobs.Model.JobRecord>(Jobs.Contracts.JobsJson.Options);

        Assert.Equal(requestId, response.Headers.GetValues("X-Request-ID").Single());
        Assert.Equal(requestId, job!.RequestId);
    }

    private async Task<long> CountJobsAsync()
    {
        await using var command = app.Db.CreateCommand("SELECT count(*) FROM jobs");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

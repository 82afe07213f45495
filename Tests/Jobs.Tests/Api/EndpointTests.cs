using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aspire.Hosting.Testing;
using Jobs.Contracts;
using Jobs.Model;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Api;

[Collection(SharedAppCollection.Name)]
public sealed class EndpointTests(JobsApp app)
{
    [Fact]
    public async Task Root_names_the_service_and_links_docs_health_and_metrics()
    {
        using var client = app.App.CreateHttpClient("api");
        var info = await client.GetFromJsonAsync<JsonElement>("/");
        Assert.Equal("Jobs API", info.GetProperty("name").GetString());
        Assert.Equal("/openapi/v1.json", info.GetProperty("links").GetProperty("openapi").GetString());
        Assert.Equal("/health/ready", info.GetProperty("links").GetProperty("health").GetString());
        Assert.Equal("/metrics", info.GetProperty("links").GetProperty("metrics").GetString());
    }

    [Fact]
    public async Task OpenApi_document_and_Scalar_reference_are_served_in_Development()
    {
        using var client = app.App.CreateHttpClient("api");
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/jobs/{id}/events", out _));
        using var scalar = await client.GetAsync("/scalar");
        Assert.Equal(HttpStatusCode.OK, scalar.StatusCode);
    }

    [Fact]
    public async Task Post_returns_202_with_Location_and_the_queued_job()
    {
        using var response = await app.Api.PostAsJsonAsync("/api/v1/jobs", new { type = "echo", input = new { hello = "world" }, priority = 2, maxAttempts = 4 });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = (await response.Content.ReadFromJsonAsync<JobRecord>(JobsJson.Options))!;
        Assert.Equal($"/api/v1/jobs/{job.Id}", response.Headers.Location!.OriginalString);
        Assert.Equal((2, 4, "default"), (job.Priority, job.MaxAttempts, job.Queue));
        Assert.Equal(7, job.Id.Version);
    }

    public static TheoryData<string, string, HttpStatusCode> BadRequests => new()
    {
        { "application/json", """{"type":"nope"}""", HttpStatusCode.UnprocessableEntity },
        { "application/json", """{"input":{}}""", HttpStatusCode.UnprocessableEntity },
        { "application/json", """{"type":"delay","input":{"ms":-1}}""", HttpStatusCode.UnprocessableEntity },
        { "application/json", """{"type":"agent","input":{"steps":[{"tool":"rm -rf"}]}}""", HttpStatusCode.UnprocessableEntity },
        { "application/json", """{"type":"webhook","input":{"url":"ftp://x"}}""", HttpStatusCode.UnprocessableEntity },
        { "application/json", """{"type":"echo","priority":10}""", HttpStatusCode.UnprocessableEntity },
        { "application/json", """{"type":"echo","queue":"Bad Queue"}""", HttpStatusCode.UnprocessableEntity },
        { "application/json", """{"type":"echo","maxAttempts":0}""", HttpStatusCode.UnprocessableEntity },
        { "application/json", """{"type": "echo", """, HttpStatusCode.BadRequest },
        { "application/json", """[1,2]""", HttpStatusCode.BadRequest },
        { "application/json", "null", HttpStatusCode.BadRequest },
        { "application/json", $$"""{"type":"echo","input":"{{new string('x', 256 * 1024)}}"}""", HttpStatusCode.RequestEntityTooLarge },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_is_a_problem_and_nothing_is_written(string contentType, string body, HttpStatusCode expected)
    {
        var before = await CountJobsAsync();
        using var response = await app.Api.PostAsync("/api/v1/jobs", new StringContent(body, Encoding.UTF8, contentType));
        await AssertProblemAsync(response, expected);
        Assert.Equal(before, await CountJobsAsync());
    }

    [Fact]
    public async Task Wrong_content_type_is_a_415_problem_and_nothing_is_written()
    {
        var before = await CountJobsAsync();
        using var response = await app.Api.PostAsync("/api/v1/jobs", new StringContent("""{"type":"echo"}""", Encoding.UTF8, "text/plain"));
        // Routing refuses it (the endpoint declares application/json) before the handler runs.
        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, withDetail: false);
        Assert.Equal(before, await CountJobsAsync());
    }

    [Theory]
    [InlineData("PUT", "/api/v1/jobs/00000000-0000-0000-0000-000000000000", HttpStatusCode.MethodNotAllowed)]
    [InlineData("GET", "/api/v1/nothing-here", HttpStatusCode.NotFound)]
    public async Task Errors_raised_by_routing_are_problems_too(string method, string url, HttpStatusCode expected)
    {
        using var response = await app.Api.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
        await AssertProblemAsync(response, expected, withDetail: false);
    }

    [Fact]
    public async Task Unknown_type_lists_the_known_types()
    {
        using var response = await app.Api.PostAsJsonAsync("/api/v1/jobs", new { type = "teleport" });
        var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(JobTypes.All, problem.GetProperty("knownTypes").EnumerateArray().Select(t => t.GetString()));
    }

    [Theory]
    [InlineData("/api/v1/jobs?cursor=not-a-cursor")]
    [InlineData("/api/v1/jobs?state=sleeping")]
    [InlineData("/api/v1/jobs?limit=201")]
    [InlineData("/api/v1/jobs?limit=0")]
    [InlineData("/api/v1/jobs?createdAfter=yesterday")]
    public async Task Bad_filters_and_cursors_are_400(string url)
    {
        using var response = await app.Api.GetAsync(url);
        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("GET", "/steps")]
    [InlineData("GET", "/result")]
    [InlineData("GET", "/events")]
    [InlineData("POST", "/cancel")]
    [InlineData("DELETE", "")]
    public async Task Unknown_ids_are_404(string method, string suffix)
    {
        foreach (var id in new[] { Guid.CreateVersion7().ToString(), "not-an-id" })
        {
            using var response = await app.Api.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/api/v1/jobs/{id}{suffix}"));
            await AssertProblemAsync(response, HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task Idempotency_key_returns_the_same_job_and_409_for_a_different_body()
    {
        var key = Guid.NewGuid().ToString();
        async Task<HttpResponseMessage> Post(object body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            return await app.Api.SendAsync(request);
        }

        using var first = await Post(new { type = "echo", input = new { n = 1 } });
        using var repeat = await Post(new { type = "echo", input = new { n = 1 } });
        using var different = await Post(new { type = "echo", input = new { n = 2 } });

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, repeat.StatusCode);
        Assert.Equal("true", repeat.Headers.GetValues("Idempotent-Replayed").Single());
        var a = await first.Content.ReadFromJsonAsync<JobRecord>(JobsJson.Options);
        var b = await repeat.Content.ReadFromJsonAsync<JobRecord>(JobsJson.Options);
        Assert.Equal(a!.Id, b!.Id);
        await AssertProblemAsync(different, HttpStatusCode.Conflict);
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM jobs WHERE idempotency_key = $1", key));
    }

    [Fact]
    public async Task Concurrent_posts_each_get_their_own_job_and_one_key_one_job()
    {
        // Concurrent single posts share group inserts in the Api; each must still get its own row and response.
        var key = Guid.NewGuid().ToString();
        async Task<HttpResponseMessage> PostKeyed()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = JsonContent.Create(new { type = "echo", input = new { key } }) };
            request.Headers.Add("Idempotency-Key", key);
            return await app.Api.SendAsync(request);
        }
        var plain = Enumerable.Range(0, 24).Select(i => app.Api.PostAsJsonAsync("/api/v1/jobs", new { type = "echo", input = new { i, key } })).ToList();
        var keyed = Enumerable.Range(0, 8).Select(_ => PostKeyed()).ToList();
        var responses = await Task.WhenAll(plain.Concat(keyed));
        try
        {
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
            var jobs = new List<JobRecord>();
            foreach (var response in responses)
            {
                jobs.Add((await response.Content.ReadFromJsonAsync<JobRecord>(JobsJson.Options))!);
            }
            Assert.Equal(Enumerable.Range(0, 24), jobs.Take(24).Select(j => j.Input.GetProperty("i").GetInt32()));
            Assert.Equal(24, jobs.Take(24).Select(j => j.Id).Distinct().Count());
            Assert.Single(jobs.Skip(24).Select(j => j.Id).Distinct());
            Assert.Equal(7, responses.Skip(24).Count(r => r.Headers.Contains("Idempotent-Replayed")));
            Assert.Equal(24L, await ScalarAsync<long>("SELECT count(*) FROM jobs WHERE input->>'key' = $1 AND input ? 'i'", key));
            Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM jobs WHERE idempotency_key = $1", key));
        }
        finally
        {
            Array.ForEach(responses, r => r.Dispose());
        }
    }

    [Fact]
    public async Task Batch_inserts_a_thousand_jobs_that_all_complete()
    {
        var queue = "batch-" + Guid.NewGuid().ToString("N")[..8];
        var jobs = Enumerable.Range(0, 1000).Select(i => new { type = "echo", queue = "default", input = new { i, queue } }).ToList();
        using var response = await app.Api.PostAsJsonAsync("/api/v1/jobs/batch", new { jobs });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var batch = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1000, batch.GetProperty("count").GetInt32());
        var ids = batch.GetProperty("ids").EnumerateArray().Select(i => i.GetGuid()).ToArray();
        await app.WaitForFinishAsync(ids[^1]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await ScalarAsync<long>("SELECT count(*) FROM jobs WHERE id = ANY($1) AND state = 'succeeded'", ids) < 1000)
        {
            await app.WaitForFinishAsync(ids[Random.Shared.Next(ids.Length)]);
            timeout.Token.ThrowIfCancellationRequested();
        }
    }

    [Fact]
    public async Task Batch_with_one_bad_job_or_over_1000_jobs_writes_nothing()
    {
        var before = await CountJobsAsync();
        using var oneBad = await app.Api.PostAsJsonAsync("/api/v1/jobs/batch", new { jobs = new object[] { new { type = "echo" }, new { type = "nope" } } });
        var problem = await AssertProblemAsync(oneBad, HttpStatusCode.UnprocessableEntity);
        Assert.True(problem.GetProperty("errors").TryGetProperty("jobs[1].type", out _));
        using var tooMany = await app.Api.PostAsJsonAsync("/api/v1/jobs/batch", new { jobs = Enumerable.Repeat(new { type = "echo" }, 1001) });
        await AssertProblemAsync(tooMany, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(before, await CountJobsAsync());
    }

    [Fact]
    public async Task Keyset_pagination_walks_a_few_hundred_jobs_newest_first_with_filters()
    {
        var queue = "page-" + Guid.NewGuid().ToString("N")[..8];
        var since = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("O");
        using (var created = await app.Api.PostAsJsonAsync("/api/v1/jobs/batch",
            new { jobs = Enumerable.Range(0, 300).Select(i => new { type = "echo", queue, runAt = DateTimeOffset.UtcNow.AddHours(1) }) }))
        {
            Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        }

        var seen = new List<JobRecord>();
        string? cursor = null;
        do
        {
            var url = $"/api/v1/jobs?queue={queue}&state=scheduled,queued&type=echo&createdAfter={Uri.EscapeDataString(since)}&limit=70" + (cursor is null ? "" : $"&cursor={cursor}");
            var page = await app.Api.GetFromJsonAsync<JsonElement>(url);
            seen.AddRange(page.GetProperty("items").Deserialize<List<JobRecord>>(JobsJson.Options)!);
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(300, seen.Select(j => j.Id).Distinct().Count());
        Assert.All(seen, j => Assert.Equal((queue, JobState.Scheduled), (j.Queue, j.State)));
        Assert.Equal(seen.OrderByDescending(j => j.CreatedAt).Select(j => j.CreatedAt), seen.Select(j => j.CreatedAt));
        var none = await app.Api.GetFromJsonAsync<JsonElement>($"/api/v1/jobs?queue={queue}&state=running");
        Assert.Equal(0, none.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Delete_only_removes_finished_jobs()
    {
        var running = await app.EnqueueAsync("delay", new { ms = 20_000 });
        using (var conflict = await app.Api.DeleteAsync($"/api/v1/jobs/{running.Id}"))
        {
            await AssertProblemAsync(conflict, HttpStatusCode.Conflict);
        }
        var done = await app.EnqueueAsync("echo", new { });
        await app.WaitForFinishAsync(done.Id);

        using var deleted = await app.Api.DeleteAsync($"/api/v1/jobs/{done.Id}");
        using var gone = await app.Api.GetAsync($"/api/v1/jobs/{done.Id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await AssertProblemAsync(gone, HttpStatusCode.NotFound);
        using var _ = await app.Api.PostAsync($"/api/v1/jobs/{running.Id}/cancel", null);
    }

    [Fact]
    public async Task Tool_mode_echoes_synchronously()
    {
        using var response = await app.Api.PostAsJsonAsync("/api/v1/tools/echo", new { say = "hi" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("hi", body.GetProperty("output").GetProperty("say").GetString());
        using var bad = await app.Api.PostAsync("/api/v1/tools/echo", new StringContent("{", Encoding.UTF8, "application/json"));
        await AssertProblemAsync(bad, HttpStatusCode.BadRequest);
    }

    /// <summary>
    /// Every error is an RFC 9457 problem that says what went wrong and carries the request id (the same one the
    /// X-Request-ID response header gives) and the trace id.
    /// </summary>
    /// <paramref name="withDetail"/> false: a problem made by the framework (routing's 404/405/415), which has a
    /// title but no detail.
    internal static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected, bool withDetail = true)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        if (withDetail)
        {
            Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        }
        var requestId = problem.GetProperty("requestId").GetString();
        Assert.False(string.IsNullOrEmpty(requestId));
        Assert.Equal(requestId, response.Headers.GetValues("X-Request-ID").Single());
        Assert.Matches("^[0-9a-f]{32}$", problem.GetProperty("traceId").GetString());
        return problem;
    }

    private Task<long> CountJobsAsync() => ScalarAsync<long>("SELECT count(*) FROM jobs");

    private async Task<T> ScalarAsync<T>(string sql, params object[] args)
    {
        await using var command = app.Db.CreateCommand(sql);
        foreach (var arg in args)
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = arg });
        }
        return (T)(await command.ExecuteScalarAsync())!;
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using ServiceDefaults.Tests.Infrastructure;

namespace ServiceDefaults.Tests;

/// <summary>Readiness against the AppHost's real Postgres and Redis, with each one stopped and frozen in turn.</summary>
[Collection(AppHostCollection.Name)]
public sealed class HealthTests(AppHostFixture infrastructure)
{
    [Fact]
    public async Task Ready_is_200_healthy_with_every_check_when_dependencies_are_up()
    {
        await using var service = await StartServiceAsync();
        // The first check opens the first physical connection; on a loaded machine that can exceed the check timeout.
        var body = await WaitForStatusAsync(service, "healthy");
        var (status, _) = await GetAsync(service, "/health/ready");
        Assert.Equal(HttpStatusCode.OK, status);
        foreach (var check in new[] { "self", "PostgreSql", "Redis" })
        {
            var entry = body.GetProperty("checks").GetProperty(check);
            Assert.Equal("healthy", entry.GetProperty("status").GetString());
            Assert.True(entry.GetProperty("durationMs").GetDouble() >= 0);
        }
        Assert.True(body.GetProperty("timestamp").TryGetDateTimeOffset(out _));
    }

    [Fact]
    public async Task Redis_stopped_is_200_degraded_and_the_service_still_starts_and_serves()
    {
        await infrastructure.StopAsync("cache");
        try
        {
            await using var service = await StartServiceAsync();
            var body = await WaitForStatusAsync(service, "degraded");
            var (status, _) = await GetAsync(service, "/health/ready");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("degraded", body.GetProperty("checks").GetProperty("Redis").GetProperty("status").GetString());
            Assert.Equal("healthy", body.GetProperty("checks").GetProperty("PostgreSql").GetProperty("status").GetString());
            using var served = await service.Http.GetAsync("/items/1");
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);

            await infrastructure.StartAsync("cache");
            // The multiplexer reconnects by itself; readiness follows without a restart.
            body = await WaitForStatusAsync(service, "healthy");
            Assert.Equal("healthy", body.GetProperty("checks").GetProperty("Redis").GetProperty("status").GetString());
        }
        finally
        {
            await infrastructure.StartAsync("cache");
        }
    }

    [Fact]
    public async Task Postgres_stopped_is_503_unhealthy_while_liveness_stays_200()
    {
        await using var service = await StartServiceAsync();
        await infrastructure.StopAsync("postgres");
        try
        {
            var (status, body) = await GetAsync(service, "/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("unhealthy", body.GetProperty("status").GetString());
            Assert.Equal("unhealthy", body.GetProperty("checks").GetProperty("PostgreSql").GetProperty("status").GetString());

            var (live, liveBody) = await GetAsync(service, "/health/live");
            Assert.Equal(HttpStatusCode.OK, live);
            Assert.False(liveBody.GetProperty("checks").TryGetProperty("PostgreSql", out _));
            using var aspireHealth = await service.Http.GetAsync("/health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, aspireHealth.StatusCode);
            using var aspireAlive = await service.Http.GetAsync("/alive");
            Assert.Equal(HttpStatusCode.OK, aspireAlive.StatusCode);
        }
        finally
        {
            await infrastructure.StartAsync("postgres");
        }
        await WaitForStatusAsync(service, "healthy");
    }

    [Fact]
    public async Task Hanging_dependencies_time_out_per_check_and_ready_still_answers_within_a_second()
    {
        await using var service = await StartServiceAsync();
        await WaitForStatusAsync(service, "healthy");

        HttpStatusCode status;
        JsonElement body;
        var watch = Stopwatch.StartNew();
        await using (await infrastructure.FreezeAsync("postgres"))
        await using (await infrastructure.FreezeAsync("cache"))
        {
            watch.Restart();
            (status, body) = await GetAsync(service, "/health/ready");
            watch.Stop();
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var postgres = body.GetProperty("checks").GetProperty("PostgreSql");
        Assert.Equal("unhealthy", postgres.GetProperty("status").GetString());
        Assert.StartsWith("No answer within", postgres.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("degraded", body.GetProperty("checks").GetProperty("Redis").GetProperty("status").GetString());
        // A functional bound, not a benchmark (the description above proves the 800 ms check timeout fired): without
        // it the endpoint would wait for the hung servers, i.e. for Npgsql's and the Redis client's own timeouts.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"/health/ready took {watch.Elapsed}");
    }

    [Fact]
    public async Task Detailed_health_needs_a_key_and_reports_runtime_and_dependencies()
    {
        await using var service = await StartServiceAsync();
        using var anonymous = await service.Http.GetAsync("/health/detailed");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/detailed");
        request.Headers.Add("X-API-Key", TestService.ApiKey);
        using var response = await service.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(".NET", body.GetProperty("versions").GetProperty("runtime").GetString(), StringComparison.Ordinal);
        Assert.True(body.GetProperty("uptimeSeconds").GetDouble() >= 0);
        Assert.True(body.GetProperty("memory").GetProperty("workingSetBytes").GetInt64() > 0);
        Assert.True(body.GetProperty("gc").GetProperty("gen0Collections").GetInt32() >= 0);
        Assert.True(body.GetProperty("threadPool").GetProperty("threads").GetInt32() > 0);
        Assert.True(body.GetProperty("disks")[0].GetProperty("freeBytes").GetInt64() > 0);
        Assert.True(body.GetProperty("checks").GetProperty("PostgreSql").GetProperty("durationMs").GetDouble() >= 0);
        Assert.True(body.GetProperty("checks").GetProperty("Redis").GetProperty("durationMs").GetDouble() >= 0);
    }

    private Task<TestService> StartServiceAsync() => TestService.StartAsync(
        configuration: infrastructure.ConnectionStrings(),
        configure: builder =>
        {
            builder.AddNpgsqlDataSource("jobsdb");
            builder.AddRedisClient("cache");
        });

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(TestService service, string path)
    {
        using var response = await service.Http.GetAsync(path);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static async Task<JsonElement> WaitForStatusAsync(TestService service, string status)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var (_, body) = await GetAsync(service, "/health/ready");
            if (body.GetProperty("status").GetString() == status)
            {
                return body;
            }
            await Task.Delay(200, timeout.Token);
        }
    }
}

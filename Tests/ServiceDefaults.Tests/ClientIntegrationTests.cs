using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using ServiceDefaults.Tests.Infrastructure;
using StackExchange.Redis;

namespace ServiceDefaults.Tests;

/// <summary>AddNpgsqlDataSource and AddRedisClient against the AppHost's real servers: resolved clients, spans, metrics.</summary>
[Collection(AppHostCollection.Name)]
public sealed class ClientIntegrationTests(AppHostFixture infrastructure)
{
    [Fact]
    public async Task Npgsql_queries_are_traced_and_measured()
    {
        var capture = new TelemetryCapture();
        await using var service = await StartAsync(capture, app => app.MapGet("/db", async (NpgsqlDataSource db) =>
        {
            await using var command = db.CreateCommand("SELECT 40 + 2");
            return (int)(await command.ExecuteScalarAsync())!;
        }));

        Assert.Equal("42", await service.Http.GetStringAsync("/db"));

        var server = await TelemetryTests.WaitForAsync(() => capture.SpansSnapshot().SingleOrDefault(s => s.Kind == ActivityKind.Server && (string?)s.GetTagItem("url.path") == "/db"));
        // The query's span (connection opens have spans of their own), with its statement.
        var query = await TelemetryTests.WaitForAsync(() => capture.SpansSnapshot().FirstOrDefault(s =>
            s.Source.Name == "Npgsql" && s.TraceId == server.TraceId && (string?)s.GetTagItem("db.query.text") == "SELECT 40 + 2"));
        Assert.Equal(ActivityKind.Client, query.Kind);
        Assert.Equal("postgresql", query.GetTagItem("db.system") ?? query.GetTagItem("db.system.name"));
        // One span per query is the trace; Npgsql's per-query "received-first-response" event is turned off.
        Assert.Empty(query.Events);

        var metrics = await MetricsEndpointTests.ScrapeAsync(service.Http, "/metrics");
        Assert.Contains("db_client_", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redis_calls_made_through_the_helper_are_client_spans_without_keys()
    {
        var capture = new TelemetryCapture();
        await using var service = await StartAsync(capture, app => app.MapGet("/cache", async (IConnectionMultiplexer redis) =>
        {
            var db = redis.GetDatabase();
            await RedisTelemetry.TraceAsync("SET", () => db.StringSetAsync("user:jane.doe@example.com", "1"));
            return (string?)await RedisTelemetry.TraceAsync("GET", () => db.StringGetAsync("user:jane.doe@example.com"));
        }));

        Assert.Equal("1", await service.Http.GetStringAsync("/cache"));

        var server = await TelemetryTests.WaitForAsync(() => capture.SpansSnapshot().SingleOrDefault(s => s.Kind == ActivityKind.Server && (string?)s.GetTagItem("url.path") == "/cache"));
        var redisSpans = capture.SpansSnapshot().Where(s => s.Source.Name == RedisTelemetry.ActivitySourceName).ToList();
        Assert.Equal(["SET", "GET"], redisSpans.Select(s => s.DisplayName));
        Assert.All(redisSpans, s =>
        {
            Assert.Equal(ActivityKind.Client, s.Kind);
            Assert.Equal(server.SpanId, s.ParentSpanId);
            Assert.Equal("redis", s.GetTagItem("db.system.name"));
            Assert.DoesNotContain("jane", TelemetryCapture.Describe(s), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Failed_redis_calls_record_the_error_on_their_span()
    {
        var capture = new TelemetryCapture();
        await using var service = await StartAsync(capture, app => app.MapGet("/bad", async (IConnectionMultiplexer redis) =>
        {
            try
            {
                await RedisTelemetry.TraceAsync("INCR", () => redis.GetDatabase().ExecuteAsync("NOSUCHCOMMAND"));
            }
            catch (RedisServerException)
            {
                return Results.StatusCode(StatusCodes.Status502BadGateway);
            }
            return Results.Ok();
        }));

        using var response = await service.Http.GetAsync("/bad");
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var span = await TelemetryTests.WaitForAsync(() => capture.SpansSnapshot().FirstOrDefault(s => s.Source.Name == RedisTelemetry.ActivitySourceName));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Single(span.Events, e => e.Name == "exception");
    }

    [Fact]
    public async Task Missing_connection_string_fails_with_a_message_naming_the_key()
    {
        await using var service = await TestService.StartAsync(configure: builder =>
        {
            builder.AddNpgsqlDataSource("nodb");
            builder.AddRedisClient("nocache", settings => settings.DisableAutoActivation = true);
        });
        var db = Assert.Throws<InvalidOperationException>(() => service.Services.GetRequiredService<NpgsqlDataSource>());
        Assert.Contains("ConnectionStrings:nodb", db.Message, StringComparison.Ordinal);
        var cache = Assert.Throws<InvalidOperationException>(() => service.Services.GetRequiredService<IConnectionMultiplexer>());
        Assert.Contains("ConnectionStrings:nocache", cache.Message, StringComparison.Ordinal);
    }

    private Task<TestService> StartAsync(TelemetryCapture capture, Action<WebApplication> map) => TestService.StartAsync(
        map: map,
        configuration: infrastructure.ConnectionStrings(),
        configure: builder =>
        {
            builder.AddNpgsqlDataSource("jobsdb");
            builder.AddRedisClient("cache");
            capture.Attach(builder);
        });
}

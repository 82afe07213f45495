using System.Net;
using Aspire.Hosting.Testing;
using Jobs.Tests.Infrastructure;
using StackExchange.Redis;

namespace Jobs.Tests.Resilience;

/// <summary>The shared bucket costs a Redis round trip per lease of tokens, not per request.</summary>
[Collection(SharedAppCollection.Name)]
public sealed class RateLimitLeaseTests(JobsApp app)
{
    [Fact]
    public async Task Requests_spend_leased_tokens_without_a_Redis_call_each()
    {
        var cache = await app.App.GetConnectionStringAsync("cache");
        await using var redis = await ConnectionMultiplexer.ConnectAsync(cache + ",allowAdmin=true");
        var server = redis.GetServer(redis.GetEndPoints()[0]);

        var before = await ScriptCallsAsync(server);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 50; i++)
        {
            using var response = await app.Api.GetAsync("/api/v1/jobs?limit=1");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var calls = await ScriptCallsAsync(server) - before;

        // The test app's bucket (burst 10,000) leases 500 tokens at a time, and a lease lives 1 s: one call per
        // started second at most, where a call per request would be 50.
        Assert.InRange(calls, 1, 1 + (long)Math.Ceiling(seconds));
        Assert.True(calls < 50 / 2, $"{calls} script calls for 50 requests in {seconds:F1} s");
    }

    private static async Task<long> ScriptCallsAsync(IServer server)
    {
        var stats = (await server.InfoAsync("commandstats")).SelectMany(group => group).ToList();
        return stats.Where(s => s.Key is "cmdstat_evalsha" or "cmdstat_eval")
            .Sum(s => long.Parse(s.Value.Split(',')[0]["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture));
    }
}

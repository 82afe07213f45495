using System.Net;
using Jobs.Tests.Api;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Resilience;

public sealed class TwoApiReplicasApp : JobsApp
{
    protected override int ApiReplicas => 2;

    protected override int WorkerReplicas => 1;

    protected override Dictionary<string, string> Settings => new(base.Settings)
    {
        // One token per 20 s: refills during the test are rare even on a slow machine, so the count is exact.
        ["Jobs__RateLimit__PermitsPerSecond"] = "0.05",
        ["Jobs__RateLimit__Burst"] = "6",
    };
}

public sealed class RateLimitTests(TwoApiReplicasApp app) : IClassFixture<TwoApiReplicasApp>
{
    [Fact]
    public async Task One_key_shares_one_bucket_across_both_Api_replicas()
    {
        using var first = await app.CreateReplicaClientAsync("api-0");
        using var second = await app.CreateReplicaClientAsync("api-1");
        Assert.NotEqual(first.BaseAddress, second.BaseAddress);
        var statuses = new List<HttpStatusCode>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 16; i++)
        {
            var response = await (i % 2 == 0 ? first : second).GetAsync("/api/v1/jobs?limit=1");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused ??= response;
            }
        }

        // Separate buckets would allow 12; a shared one allows the burst of 6, plus what refilled meanwhile.
        var refilled = (int)Math.Ceiling(clock.Elapsed.TotalSeconds * 0.05);
        Assert.InRange(statuses.Count(s => s == HttpStatusCode.OK), 6, 6 + refilled);
        Assert.Equal(16, statuses.Count(s => s is HttpStatusCode.OK or HttpStatusCode.TooManyRequests));
        Assert.NotNull(refused);
        Assert.True(refused.Headers.RetryAfter!.Delta >= TimeSpan.FromSeconds(1));
        await EndpointTests.AssertProblemAsync(refused, HttpStatusCode.TooManyRequests);
    }
}

using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Hosting.Tests.Infrastructure;
using StackExchange.Redis;

namespace Hosting.Tests;

public sealed class GarnetTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Garnet_from_the_tool_manifest_serves_redis_with_a_password_and_lua()
    {
        var ct = TestApps.Timeout(180);
        var builder = TestApps.CreateBuilder(_data, "--Hosting:Redis:Runtime=garnet");
        builder.AddRedis("cache");
        await using var app = builder.Build();
        await app.StartAsync(ct);
        var ready = await app.ResourceNotifications.WaitForResourceHealthyAsync("cache", ct);

        Assert.Contains(ready.Snapshot.Properties, p => p.Name == "runtime" && p.Value!.StartsWith("garnet 2.2.8", StringComparison.Ordinal));
        await using var redis = await ConnectionMultiplexer.ConnectAsync((await app.GetConnectionStringAsync("cache", ct))!);
        var db = redis.GetDatabase();
        await db.StringSetAsync("k", "v");
        Assert.Equal("v", (string?)await db.ScriptEvaluateAsync("return redis.call('GET', KEYS[1])", ["k"]));

        var port = app.GetEndpoint("cache").Port;
        await using var anonymous = await ConnectionMultiplexer.ConnectAsync($"localhost:{port},abortConnect=false,connectRetry=0");
        await Assert.ThrowsAnyAsync<RedisException>(() => anonymous.GetDatabase().StringGetAsync("k"));
    }
}

using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Api.RateLimiting;

/// <summary>
/// The shared token bucket: one Lua script refills and takes a token atomically, on Redis's clock, so every replica
/// sees the same bucket. While Redis is unreachable each replica falls back to its own in-process bucket per key.
/// </summary>
public sealed partial class RedisTokenBucket : IDisposable
{
    // KEYS[1] bucket; ARGV[1] burst, ARGV[2] tokens per millisecond. Returns {allowed, retry-after ms}.
    private const string Script = """
        local burst = tonumber(ARGV[1])
        local rate = tonumber(ARGV[2])
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
        local tokens = tonumber(state[1]) or burst
        local ts = tonumber(state[2]) or now
        tokens = math.min(burst, tokens + math.max(0, now - ts) * rate)
        local allowed, retry = 0, 0
        if tokens >= 1 then
          tokens = tokens - 1
          allowed = 1
        else
          retry = math.ceil((1 - tokens) / rate)
        end
        redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
        redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 1000)
        return {allowed, retry}
        """;

    private readonly IConnectionMultiplexer _redis;
    private readonly RateLimitOptions _options;
    private readonly PartitionedRateLimiter<string> _local;
    private readonly ILogger<RedisTokenBucket> _logger;

    public RedisTokenBucket(IConnectionMultiplexer redis, IOptions<RateLimitOptions> options, ILogger<RedisTokenBucket> logger)
    {
        _redis = redis;
        _options = options.Value;
        _logger = logger;
        _local = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = _options.Burst,
            TokensPerPeriod = Math.Max(1, (int)Math.Ceiling(_options.PermitsPerSecond / 10)),
            ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Takes one token for <paramref name="partition"/>; when refused, says how long until the next one.</summary>
    public async Task<(bool Allowed, TimeSpan RetryAfter)> TryTakeAsync(string partition, CancellationToken cancellationToken)
    {
        if (_redis.IsConnected)
        {
            try
            {
                var result = (RedisResult[])(await RedisTelemetry.TraceAsync("EVALSHA", () => _redis.GetDatabase().ScriptEvaluateAsync(
                    Script, [new RedisKey("jobs:ratelimit:" + partition)], [_options.Burst, _options.PermitsPerSecond / 1000.0])))!;
                return ((long)result[0] == 1, TimeSpan.FromMilliseconds((long)result[1]));
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogFallback(ex);
            }
        }
        using var lease = _local.AttemptAcquire(partition);
        if (lease.IsAcquired)
        {
            return (true, TimeSpan.Zero);
        }
        return (false, lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1));
    }

    public void Dispose() => _local.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shared rate limiting is unavailable; using the in-process limiter")]
    private partial void LogFallback(Exception exception);
}

using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Api.RateLimiting;

/// <summary>
/// The shared token bucket: one Lua script refills and takes tokens atomically, on Redis's clock, so every replica
/// draws from the same bucket. A replica takes a small lease of tokens at a time (<see cref="LeaseSize"/>) and spends
/// it locally, so most requests wait on no Redis round trip; a lease never outlives <see cref="LeaseLifetime"/>, and
/// tokens are taken before they are spent, so replicas together never admit more than the bucket allows. While Redis
/// is unreachable each replica falls back to its own in-process bucket per key.
/// </summary>
public sealed partial class RedisTokenBucket : IDisposable
{
    // KEYS[1] bucket; ARGV[1] burst, ARGV[2] tokens per millisecond, ARGV[3] most tokens wanted.
    // Returns {granted, retry-after ms}: granted >= 1 tokens, or 0 and how long until one is there.
    private const string Script = """
        local burst = tonumber(ARGV[1])
        local rate = tonumber(ARGV[2])
        local want = tonumber(ARGV[3])
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
        local tokens = tonumber(state[1]) or burst
        local ts = tonumber(state[2]) or now
        tokens = math.min(burst, tokens + math.max(0, now - ts) * rate)
        local granted, retry = math.min(want, math.floor(tokens)), 0
        if granted >= 1 then
          tokens = tokens - granted
        else
          granted = 0
          retry = math.ceil((1 - tokens) / rate)
        end
        redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
        redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 1000)
        return {granted, retry}
        """;

    /// <summary>Unspent leased tokens are dropped after this, so a quiet replica cannot hoard the bucket.</summary>
    public static readonly TimeSpan LeaseLifetime = TimeSpan.FromSeconds(1);

    private readonly IConnectionMultiplexer _redis;
    private readonly RateLimitOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly PartitionedRateLimiter<string> _local;
    private readonly ConcurrentDictionary<string, Lease> _leases = new(StringComparer.Ordinal);
    private readonly ILogger<RedisTokenBucket> _logger;

    public RedisTokenBucket(IConnectionMultiplexer redis, IOptions<RateLimitOptions> options, TimeProvider timeProvider, ILogger<RedisTokenBucket> logger)
    {
        _redis = redis;
        _options = options.Value;
        _timeProvider = timeProvider;
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

    /// <summary>
    /// Tokens taken from Redis at once: a twentieth of the burst, and never more than a second's worth, so the
    /// tokens one replica holds unspent stay a small share of what the others could admit. A small bucket leases
    /// one token at a time, which is exact sharing.
    /// </summary>
    public int LeaseSize => (int)Math.Clamp(Math.Min(_options.Burst / 20.0, _options.PermitsPerSecond), 1, int.MaxValue);

    /// <summary>Takes one token for <paramref name="partition"/>; when refused, says how long until the next one.</summary>
    public async Task<(bool Allowed, TimeSpan RetryAfter)> TryTakeAsync(string partition, CancellationToken cancellationToken)
    {
        var lease = _leases.GetOrAdd(partition, static _ => new Lease());
        while (!lease.TryTake(_timeProvider.GetTimestamp()))
        {
            if (!_redis.IsConnected)
            {
                return TakeLocal(partition);
            }
            long retryMs;
            try
            {
                // Concurrent misses share one Redis call: each leasing its own share, a burst of them could empty
                // the bucket into this replica's lease while most of them were refused.
                var expiresAt = _timeProvider.GetTimestamp() + (long)(LeaseLifetime.TotalSeconds * _timeProvider.TimestampFrequency);
                retryMs = await lease.RefillAsync(() => LeaseFromRedisAsync(partition), expiresAt);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogFallback(ex);
                return TakeLocal(partition);
            }
            if (retryMs > 0)
            {
                return (false, TimeSpan.FromMilliseconds(retryMs));
            }
            // Tokens came in, but the requests that shared the call may have spent them: look again.
        }
        return (true, TimeSpan.Zero);
    }

    /// <summary>Takes up to a lease of tokens from the shared bucket: how many it gave, and else the ms until one is there.</summary>
    private async Task<(long Granted, long RetryMs)> LeaseFromRedisAsync(string partition)
    {
        var result = (RedisResult[])(await RedisTelemetry.TraceAsync("EVALSHA", () => _redis.GetDatabase().ScriptEvaluateAsync(
            Script, [new RedisKey("jobs:ratelimit:" + partition)], [_options.Burst, _options.PermitsPerSecond / 1000.0, LeaseSize])))!;
        return ((long)result[0], (long)result[1]);
    }

    private (bool Allowed, TimeSpan RetryAfter) TakeLocal(string partition)
    {
        using var local = _local.AttemptAcquire(partition);
        if (local.IsAcquired)
        {
            return (true, TimeSpan.Zero);
        }
        return (false, local.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1));
    }

    public void Dispose() => _local.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shared rate limiting is unavailable; using the in-process limiter")]
    private partial void LogFallback(Exception exception);

    /// <summary>Tokens this replica took from Redis and has not spent yet, valid until a timestamp.</summary>
    private sealed class Lease
    {
        private readonly Lock _lock = new();
        private int _tokens;
        private long _expiresAt;
        private Task<long>? _refill;

        public bool TryTake(long now)
        {
            lock (_lock)
            {
                if (_tokens > 0 && now < _expiresAt)
                {
                    _tokens--;
                    return true;
                }
                _tokens = 0;
                return false;
            }
        }

        /// <summary>
        /// Runs <paramref name="take"/> once for every caller that arrives while it is in flight and adds what it
        /// granted to the lease. Returns 0 when tokens came in, else the milliseconds until the bucket has one.
        /// </summary>
        public async Task<long> RefillAsync(Func<Task<(long Granted, long RetryMs)>> take, long expiresAt)
        {
            TaskCompletionSource<long>? mine = null;
            Task<long> shared;
            lock (_lock)
            {
                if (_refill is null)
                {
                    mine = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
                    _refill = mine.Task;
                }
                shared = _refill;
            }
            if (mine is not null)
            {
                try
                {
                    var (granted, retryMs) = await take();
                    lock (_lock)
                    {
                        _tokens += (int)granted;
                        _expiresAt = expiresAt;
                        _refill = null;
                    }
                    mine.SetResult(granted > 0 ? 0 : Math.Max(1, retryMs));
                }
                catch (Exception ex)
                {
                    lock (_lock)
                    {
                        _refill = null;
                    }
                    mine.SetException(ex);
                }
            }
            return await shared;
        }
    }
}

using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Jobs.Signals;

/// <summary>
/// Redis pub/sub between Api and Workers. Every message is a hint: Postgres stays the truth, and each subscriber has a
/// polling fallback, so a publish that fails while Redis is down only costs latency.
/// </summary>
public sealed partial class JobSignals(IConnectionMultiplexer redis, ILogger<JobSignals> logger)
{
    /// <summary>Payload: a <see cref="WakeUp"/>, a queue name with new due jobs.</summary>
    public static readonly RedisChannel Wake = RedisChannel.Literal("jobs:wake");
    /// <summary>Payload: the id of a running job whose cancellation was requested.</summary>
    public static readonly RedisChannel Cancel = RedisChannel.Literal("jobs:cancel");
    /// <summary>Payload: comma-separated ids of jobs whose state or steps changed (feeds the Api's event streams).</summary>
    public static readonly RedisChannel Changed = RedisChannel.Literal("jobs:changed");

    public void PublishWake(string queue, int? commitLock = null) => Publish(Wake, new WakeUp(queue, commitLock).ToPayload());

    public void PublishCancel(Guid id) => Publish(Cancel, id.ToString());

    public void PublishChanged(IEnumerable<Guid> ids)
    {
        var payload = string.Join(',', ids);
        if (payload.Length > 0)
        {
            Publish(Changed, payload);
        }
    }

    /// <summary>Calls <paramref name="handler"/> for each message; the subscription survives reconnects.</summary>
    public async Task SubscribeAsync(RedisChannel channel, Action<string> handler)
    {
        try
        {
            await redis.GetSubscriber().SubscribeAsync(channel, (_, message) => handler(message.ToString()));
        }
        catch (RedisException ex)
        {
            // The multiplexer re-subscribes once it connects; until then the subscriber relies on polling.
            LogSubscribeFailed(ex, channel.ToString());
        }
    }

    private void Publish(RedisChannel channel, string payload)
    {
        // A span only inside traced work (a request, a job run): background hints would each start a trace of their own.
        using var activity = Activity.Current is null ? null : RedisTelemetry.StartActivity("PUBLISH");
        try
        {
            redis.GetSubscriber().Publish(channel, payload, CommandFlags.FireAndForget);
        }
        catch (RedisException ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            LogPublishFailed(ex, channel.ToString());
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Redis publish on {Channel} failed; subscribers will poll")]
    private partial void LogPublishFailed(Exception exception, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis subscribe to {Channel} failed for now; falling back to polling")]
    private partial void LogSubscribeFailed(Exception exception, string channel);
}

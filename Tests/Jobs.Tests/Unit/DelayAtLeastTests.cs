using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Worker.Processing;
using Worker.Tools;

namespace Jobs.Tests.Unit;

public sealed class DelayAtLeastTests
{
    private readonly EarlyTimers _time = new();

    [Fact]
    public async Task A_timer_that_fires_early_is_waited_out_to_the_full_duration()
    {
        var started = _time.GetTimestamp();
        var delay = _time.DelayAtLeastAsync(TimeSpan.FromMilliseconds(50), CancellationToken.None);

        _time.Advance(TimeSpan.FromMilliseconds(49.5));
        await _time.WaitForTimersAsync(2);
        Assert.False(delay.IsCompleted);

        _time.Advance(TimeSpan.FromMilliseconds(0.5));
        await delay.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.FromMilliseconds(50), _time.GetElapsedTime(started));
    }

    [Fact]
    public async Task The_sleep_tool_sleeps_its_full_duration()
    {
        var sleep = new SleepTool(_time).RunAsync(JsonSerializer.SerializeToElement(50), CancellationToken.None);

        _time.Advance(TimeSpan.FromMilliseconds(49.5));
        await _time.WaitForTimersAsync(2);
        Assert.False(sleep.IsCompleted);

        _time.Advance(TimeSpan.FromMilliseconds(0.5));
        Assert.Equal(50, (await sleep.WaitAsync(TimeSpan.FromSeconds(10))).GetProperty("sleptMs").GetInt32());
    }

    [Fact]
    public async Task Cancellation_stops_the_wait()
    {
        using var cancel = new CancellationTokenSource();
        var delay = _time.DelayAtLeastAsync(TimeSpan.FromSeconds(5), cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => delay);
    }

    /// <summary>A fake clock whose timers fire half a millisecond before their due time, as the runtime's can.</summary>
    private sealed class EarlyTimers : TimeProvider
    {
        private readonly FakeTimeProvider _clock = new();
        private int _timers;

        public override long TimestampFrequency => _clock.TimestampFrequency;

        public override long GetTimestamp() => _clock.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => _clock.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _timers);
            var early = dueTime > TimeSpan.FromMilliseconds(0.5) ? dueTime - TimeSpan.FromMilliseconds(0.5) : dueTime;
            return _clock.CreateTimer(callback, state, early, period);
        }

        public void Advance(TimeSpan by) => _clock.Advance(by);

        public async Task WaitForTimersAsync(int count)
        {
            var waited = TimeSpan.Zero;
            while (Volatile.Read(ref _timers) < count)
            {
                Assert.True(waited < TimeSpan.FromSeconds(10), $"expected timer {count}, only {_timers} were created");
                await Task.Delay(10);
                waited += TimeSpan.FromMilliseconds(10);
            }
        }
    }
}

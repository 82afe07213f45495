using Jobs.Signals;
using Microsoft.Extensions.Time.Testing;

namespace Jobs.Tests.Unit;

public sealed class WakeSignalTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Sets_before_a_wait_wake_it_once()
    {
        var signal = new WakeSignal(_time);
        signal.Set();
        signal.Set();

        Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(1), CancellationToken.None));
        var second = signal.WaitAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
        Assert.False(second.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(await second);
    }

    [Fact]
    public async Task A_set_wakes_a_waiting_wait_and_cancellation_throws()
    {
        var signal = new WakeSignal(_time);
        var waiting = signal.WaitAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
        signal.Set();
        Assert.True(await waiting);

        using var cancel = new CancellationTokenSource();
        var cancelled = signal.WaitAsync(TimeSpan.FromSeconds(1), cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        // A set after the timeout or cancellation is kept for the next wait.
        signal.Set();
        Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(1), CancellationToken.None));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public Task Resume_inline_runs_the_waiter_on_the_setting_thread(bool inline) => Task.Run(async () =>
    {
        var signal = new WakeSignal(_time, resumeInline: inline);
        async Task<int> ResumedOnAsync()
        {
            await signal.WaitAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
            return Environment.CurrentManagedThreadId;
        }
        var resumed = ResumedOnAsync(); // the wait is registered before this returns

        var setter = new Thread(signal.Set);
        setter.Start();
        setter.Join();

        Assert.Equal(inline, await resumed == setter.ManagedThreadId);
    });
}

using System.Collections.Concurrent;
using Jobs.Signals;

namespace Api.Events;

/// <summary>
/// One Redis subscription per Api process to the workers' change notices, fanned out to the event streams watching
/// those jobs. Streams also re-read on a timer, so a lost notice (or Redis being down) only delays an event.
/// </summary>
public sealed class JobChangeFeed(JobSignals signals, TimeProvider timeProvider) : IHostedService
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<WakeSignal, byte>> _watchers = new();

    public Task StartAsync(CancellationToken cancellationToken) => signals.SubscribeAsync(JobSignals.Changed, OnChanged);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A signal set whenever <paramref name="id"/> changes; dispose it to stop watching.</summary>
    public Watch Subscribe(Guid id)
    {
        var signal = new WakeSignal(timeProvider);
        _watchers.GetOrAdd(id, _ => new())[signal] = 0;
        return new Watch(this, id, signal);
    }

    private void OnChanged(string payload)
    {
        // Workers report every change; with no stream open (the usual case) there is nothing to look up.
        if (_watchers.IsEmpty)
        {
            return;
        }
        foreach (var part in payload.Split(','))
        {
            if (Guid.TryParse(part, out var id) && _watchers.TryGetValue(id, out var signals))
            {
                foreach (var signal in signals.Keys)
                {
                    signal.Set();
                }
            }
        }
    }

    public sealed class Watch(JobChangeFeed feed, Guid id, WakeSignal signal) : IDisposable
    {
        public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => signal.WaitAsync(timeout, cancellationToken);

        public void Dispose()
        {
            if (feed._watchers.TryGetValue(id, out var signals))
            {
                signals.TryRemove(signal, out _);
                if (signals.IsEmpty)
                {
                    feed._watchers.TryRemove(new KeyValuePair<Guid, ConcurrentDictionary<WakeSignal, byte>>(id, signals));
                }
            }
        }
    }
}

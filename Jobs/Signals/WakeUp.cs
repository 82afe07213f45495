using System.Globalization;

namespace Jobs.Signals;

/// <summary>
/// A message on <see cref="JobSignals.Wake"/>: a queue with new due jobs, and while those jobs are still being
/// committed, the key of the lock their insert holds until the commit (<c>JobsSql.HoldCommitLock</c>). Payload
/// <c>queue</c> or <c>queue:key</c>; queue names never contain a colon.
/// </summary>
public readonly record struct WakeUp(string Queue, int? CommitLock = null)
{
    public string ToPayload() => CommitLock is { } key ? $"{Queue}:{key.ToString(CultureInfo.InvariantCulture)}" : Queue;

    /// <summary>Reads a payload; a malformed key is ignored, leaving a plain wake-up for the queue.</summary>
    public static WakeUp FromPayload(string payload)
    {
        var colon = payload.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return new(payload);
        }
        var queue = payload[..colon];
        return int.TryParse(payload.AsSpan(colon + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var key)
            ? new(queue, key)
            : new(queue);
    }
}

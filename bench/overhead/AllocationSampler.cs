using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Text;

/// <summary>
/// Which types a request allocates: the runtime's GC AllocationTick event (about one sample per 100 KB allocated,
/// naming the type that crossed the mark), summed by type. In-process, so it needs no tracing tool on the machine.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    private readonly ConcurrentDictionary<string, long> _bytes = new();

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || eventData.PayloadNames is not { } names)
        {
            return;
        }
        var type = eventData.Payload![names.IndexOf("TypeName")] as string ?? "?";
        var amountAt = names.IndexOf("AllocationAmount64");
        var amount = Convert.ToInt64(eventData.Payload[amountAt >= 0 ? amountAt : names.IndexOf("AllocationAmount")], System.Globalization.CultureInfo.InvariantCulture);
        _bytes.AddOrUpdate(type, amount, (_, total) => total + amount);
    }

    /// <summary>The sampled bytes by type, largest first, and a fresh start.</summary>
    public string TakeReport(int top)
    {
        var snapshot = _bytes.ToArray();
        _bytes.Clear();
        var total = snapshot.Sum(p => p.Value);
        var report = new StringBuilder();
        foreach (var (type, bytes) in snapshot.OrderByDescending(p => p.Value).Take(top))
        {
            report.Append(System.Globalization.CultureInfo.InvariantCulture, $"{100.0 * bytes / Math.Max(total, 1),5:F1}%  {type}\n");
        }
        return report.ToString();
    }
}

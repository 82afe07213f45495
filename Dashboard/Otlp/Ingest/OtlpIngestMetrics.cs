using System.Diagnostics.Metrics;

namespace Aspire.Dashboard.Otlp.Ingest;

// The dashboard's own counters for what it received and refused over OTLP.
public sealed class OtlpIngestMetrics
{
    // The application name, which ServiceDefaults exports (OTLP and /metrics).
    public const string MeterName = "Aspire.Dashboard";

    private readonly Counter<long> _accepted;
    private readonly Counter<long> _rejectedItems;
    private readonly Counter<long> _failedRequests;
    private long _failedRequestTotal;

    public OtlpIngestMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _accepted = meter.CreateCounter<long>("dashboard.otlp.items.accepted", "{item}", "Spans, log records and metric points stored.");
        _rejectedItems = meter.CreateCounter<long>("dashboard.otlp.items.rejected", "{item}", "Items dropped by the limits, reported as partial success.");
        _failedRequests = meter.CreateCounter<long>("dashboard.otlp.requests.failed", "{request}", "OTLP requests refused: malformed, oversized or unauthorized.");
    }

    public long FailedRequestTotal => Interlocked.Read(ref _failedRequestTotal);

    public void Accepted(string signal, long count) => _accepted.Add(count, new KeyValuePair<string, object?>("signal", signal));

    public void Rejected(string signal, long count)
    {
        if (count > 0)
        {
            _rejectedItems.Add(count, new KeyValuePair<string, object?>("signal", signal));
        }
    }

    public void RequestFailed(string protocol, string reason)
    {
        Interlocked.Increment(ref _failedRequestTotal);
        _failedRequests.Add(1, new KeyValuePair<string, object?>("protocol", protocol), new KeyValuePair<string, object?>("reason", reason));
    }
}

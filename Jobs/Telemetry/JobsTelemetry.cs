using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Jobs.Telemetry;

/// <summary>The <c>Jobs</c> activity source and meter with every instrument the Api and Worker record.</summary>
public sealed class JobsTelemetry
{
    public const string Name = "Jobs";

    public static readonly ActivitySource ActivitySource = new(Name);

    public JobsTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        Created = meter.CreateCounter<long>("jobs.created", "{job}", "Jobs accepted by the Api.");
        Completed = meter.CreateCounter<long>("jobs.completed", "{job}", "Job attempts finished, by type and outcome.");
        Steps = meter.CreateCounter<long>("jobs.steps", "{step}", "Agent steps run, by tool and outcome.");
        Duration = meter.CreateHistogram<double>("jobs.duration", "s", "Time a job attempt ran.");
        QueueWait = meter.CreateHistogram<double>("jobs.queue.wait", "s", "Time from due to started.");
        Running = meter.CreateUpDownCounter<long>("jobs.running", "{job}", "Jobs running in this process.");
        meter.CreateObservableGauge("jobs.queue.depth", ObserveDepth, "{job}", "Jobs per queue and state (reported by the maintenance leader).");
    }

    public Counter<long> Created { get; }
    public Counter<long> Completed { get; }
    public Counter<long> Steps { get; }
    public Histogram<double> Duration { get; }
    public Histogram<double> QueueWait { get; }
    public UpDownCounter<long> Running { get; }

    private IReadOnlyList<(string Queue, string State, long Count)> _depth = [];

    /// <summary>Replaces the queue depth snapshot the gauge reports; an empty list reports nothing.</summary>
    public void SetQueueDepth(IReadOnlyList<(string Queue, string State, long Count)> depth) => _depth = depth;

    private IEnumerable<Measurement<long>> ObserveDepth() =>
        _depth.Select(d => new Measurement<long>(d.Count, new KeyValuePair<string, object?>("queue", d.Queue), new KeyValuePair<string, object?>("state", d.State)));
}

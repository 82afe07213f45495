using Jobs.Signals;
using Jobs.Storage;
using Jobs.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Worker.Maintenance;
using Worker.Processing;

namespace Jobs.Tests.Infrastructure;

/// <summary>
/// The Worker's queue parts wired by hand against a test database, each worker with its own identity. Redis is an
/// unreachable address: these tests cover the Postgres paths, where every Redis message is only a hint.
/// </summary>
public sealed class QueueHarness : IDisposable
{
    private static readonly Lazy<IConnectionMultiplexer> NoRedis = new(() =>
        ConnectionMultiplexer.Connect("127.0.0.1:1,abortConnect=false,connectTimeout=50,connectRetry=0"));

    public QueueHarness(TestDatabase database, WorkerOptions? worker = null, MaintenanceOptions? maintenance = null)
    {
        Database = database;
        WorkerOptions = Options.Create(worker ?? new WorkerOptions());
        MaintenanceOptions = Options.Create(maintenance ?? new MaintenanceOptions());
        Signals = new JobSignals(NoRedis.Value, NullLogger<JobSignals>.Instance);
        Store = new JobStore(database.DataSource);
    }

    public TestDatabase Database { get; }
    public IOptions<WorkerOptions> WorkerOptions { get; }
    public IOptions<MaintenanceOptions> MaintenanceOptions { get; }
    public JobSignals Signals { get; }
    public JobStore Store { get; }
    public FakeTimeProvider Time { get; } = new();

    public (JobFetcher Fetcher, BatchCompleter Completer, WorkerIdentity Identity) Worker()
    {
        var identity = new WorkerIdentity();
        return (new JobFetcher(Database.DataSource, identity, WorkerOptions),
                new BatchCompleter(Database.DataSource, identity, Signals, Time, WorkerOptions, NullLogger<BatchCompleter>.Instance),
                identity);
    }

    public LeaseRescuer Rescuer() => new(Database.DataSource, Signals, MaintenanceOptions);
    public ScheduledPromoter Promoter() => new(Database.DataSource, Signals, MaintenanceOptions);
    public RetentionPruner Pruner() => new(Database.DataSource, MaintenanceOptions);

    public static JobsTelemetry Telemetry() => new(new TestMeterFactory());

    public void Dispose()
    {
    }
}

/// <summary>A meter factory for tests that do not read the measurements.</summary>
public sealed class TestMeterFactory : System.Diagnostics.Metrics.IMeterFactory
{
    private readonly List<System.Diagnostics.Metrics.Meter> _meters = [];

    public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options)
    {
        var meter = new System.Diagnostics.Metrics.Meter(options);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose() => _meters.ForEach(m => m.Dispose());
}

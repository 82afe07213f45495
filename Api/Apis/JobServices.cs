using Api.Events;
using Jobs.Signals;
using Jobs.Storage;
using Jobs.Telemetry;

namespace Api.Apis;

/// <summary>What the jobs endpoints need, injected as one <c>[AsParameters]</c> record.</summary>
public sealed record JobServices(JobStore Store, JobInserter Inserter, JobSignals Signals, JobsTelemetry Telemetry, JobChangeFeed Feed, TimeProvider TimeProvider);

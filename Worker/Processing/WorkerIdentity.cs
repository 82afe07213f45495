namespace Worker.Processing;

/// <summary>The lease owner name of this process: readable in the table, unique across restarts.</summary>
public sealed class WorkerIdentity
{
    public string Name { get; } = $"{Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME") ?? "worker"}/{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..6]}";
}

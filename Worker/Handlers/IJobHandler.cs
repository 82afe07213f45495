using System.Text.Json;
using Worker.Processing;

namespace Worker.Handlers;

/// <summary>Runs one job type. The token fires on cancel, timeout, lost lease or shutdown.</summary>
public interface IJobHandler
{
    string Type { get; }

    /// <summary>Returns the job's result (null for none); throws to fail the attempt.</summary>
    Task<JsonElement?> RunAsync(ClaimedJob job, CancellationToken cancellationToken);
}

/// <summary>A failure with a stable, client-visible type and a message that is safe to store.</summary>
public sealed class JobFailedException(string type, string message) : Exception(message)
{
    public string ErrorType { get; } = type;
}

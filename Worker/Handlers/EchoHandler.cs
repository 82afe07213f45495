using System.Text.Json;
using Jobs.Contracts;
using Worker.Processing;

namespace Worker.Handlers;

/// <summary><c>echo</c>: the result is the input.</summary>
public sealed class EchoHandler : IJobHandler
{
    public string Type => JobTypes.Echo;

    public Task<JsonElement?> RunAsync(ClaimedJob job, CancellationToken cancellationToken) => Task.FromResult<JsonElement?>(job.Input);
}

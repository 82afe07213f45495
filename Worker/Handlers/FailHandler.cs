using System.Text.Json;
using Jobs.Contracts;
using Worker.Processing;

namespace Worker.Handlers;

/// <summary><c>fail</c>: fails the first N attempts, then succeeds; exercises retries and dead jobs.</summary>
public sealed class FailHandler : IJobHandler
{
    public string Type => JobTypes.Fail;

    public Task<JsonElement?> RunAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        var input = JobTypes.Deserialize<FailInput>(job.Input);
        if (job.Attempt <= input.Failures)
        {
            throw new JobFailedException("deliberate", input.Message ?? $"Failing attempt {job.Attempt} of the first {input.Failures} on purpose.");
        }
        return Task.FromResult<JsonElement?>(JsonSerializer.SerializeToElement(new { succeededOnAttempt = job.Attempt }, JobsJson.Options));
    }
}

using System.Text.Json;
using Jobs.Contracts;
using Worker.Processing;

namespace Worker.Handlers;

/// <summary><c>delay</c>: waits, and stops the moment the job is cancelled.</summary>
public sealed class DelayHandler(TimeProvider timeProvider) : IJobHandler
{
    public string Type => JobTypes.Delay;

    public async Task<JsonElement?> RunAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        var input = JobTypes.Deserialize<DelayInput>(job.Input);
        await timeProvider.DelayAtLeastAsync(TimeSpan.FromMilliseconds(input.Ms), cancellationToken);
        return JsonSerializer.SerializeToElement(new { delayedMs = input.Ms }, JobsJson.Options);
    }
}

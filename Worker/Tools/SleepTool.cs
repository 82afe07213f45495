using System.Text.Json;
using Jobs.Contracts;
using Worker.Processing;

namespace Worker.Tools;

/// <summary><c>sleep</c>: waits the given milliseconds (a number, or <c>{"ms": n}</c>), honouring cancellation.</summary>
public sealed class SleepTool(TimeProvider timeProvider) : IAgentTool
{
    public string Name => AgentTools.Sleep;

    public async Task<JsonElement> RunAsync(JsonElement? input, CancellationToken cancellationToken)
    {
        var ms = input switch
        {
            { ValueKind: JsonValueKind.Number } n => n.GetInt32(),
            { ValueKind: JsonValueKind.Object } o when o.TryGetProperty("ms", out var v) && v.ValueKind == JsonValueKind.Number => v.GetInt32(),
            _ => throw new ArgumentException("sleep needs a number of milliseconds or {\"ms\": n}."),
        };
        if (ms is < 0 or > JobTypes.MaxDelayMs)
        {
            throw new ArgumentOutOfRangeException(nameof(input), $"sleep takes 0 to {JobTypes.MaxDelayMs} ms.");
        }
        await timeProvider.DelayAtLeastAsync(TimeSpan.FromMilliseconds(ms), cancellationToken);
        return JsonSerializer.SerializeToElement(new { sleptMs = ms }, JobsJson.Options);
    }
}

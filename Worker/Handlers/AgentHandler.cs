using System.Diagnostics;
using System.Text.Json;
using Jobs.Contracts;
using Jobs.Telemetry;
using Worker.Outbound;
using Worker.Processing;
using Worker.Tools;

namespace Worker.Handlers;

/// <summary>
/// <c>agent</c>: runs its steps in order, each a tool from the registry. A step without input gets the previous
/// step's output. Every step is a row in <c>job_steps</c> and a span under the job's span.
/// </summary>
public sealed class AgentHandler(ToolRegistry tools, StepRecorder steps, JobsTelemetry telemetry) : IJobHandler
{
    public string Type => JobTypes.Agent;

    public async Task<JsonElement?> RunAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        var input = JobTypes.Deserialize<AgentInput>(job.Input);
        JsonElement? previous = null;
        for (var index = 0; index < input.Steps.Count; index++)
        {
            var step = input.Steps[index];
            var name = step.Name ?? step.Tool;
            var tool = tools.Find(step.Tool) ?? throw new JobFailedException("unknown_tool", $"Step {index} names unknown tool '{step.Tool}'.");
            using var activity = JobsTelemetry.ActivitySource.StartActivity($"step {name}");
            activity?.SetTag("job.id", job.Id).SetTag("job.type", job.Type).SetTag("job.attempt", job.Attempt)
                .SetTag("job.step.index", index).SetTag("job.step.tool", step.Tool);
            await steps.StartAsync(job, index, name, cancellationToken);
            try
            {
                previous = await tool.RunAsync(step.Input ?? previous, cancellationToken);
                await steps.FinishAsync(job, index, succeeded: true, previous.Value.GetRawText());
                telemetry.Steps.Add(1, new("job.step.tool", step.Tool), new("job.step.outcome", "succeeded"));
            }
            catch (Exception ex)
            {
                var message = ex is OperationCanceledException ? "Stopped: the job was cancelled or timed out." : ex.Message;
                await steps.FinishAsync(job, index, succeeded: false, message);
                telemetry.Steps.Add(1, new("job.step.tool", step.Tool), new("job.step.outcome", "failed"));
                activity?.SetStatus(ActivityStatusCode.Error).AddException(ex);
                if (ex is OperationCanceledException or JobFailedException)
                {
                    throw;
                }
                var type = ex is OutboundRefusedException or HttpRequestException { InnerException: OutboundRefusedException } ? "outbound_refused" : "step_failed";
                throw new JobFailedException(type, $"Step {index} ({name}) failed: {message}");
            }
        }
        return JsonSerializer.SerializeToElement(new { steps = input.Steps.Count, output = previous }, JobsJson.Options);
    }
}

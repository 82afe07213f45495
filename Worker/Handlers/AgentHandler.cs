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
/// step's output. Every step is a row in <c>job_steps</c>, a span under the job's span and a log line in the job's
/// log scope (job and request ids).
/// </summary>
public sealed partial class AgentHandler(ToolRegistry tools, StepRecorder steps, JobsTelemetry telemetry, TimeProvider timeProvider, ILogger<AgentHandler> logger) : IJobHandler
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
            var started = timeProvider.GetTimestamp();
            try
            {
                previous = await tool.RunAsync(step.Input ?? previous, cancellationToken);
                await steps.FinishAsync(job, index, succeeded: true, previous.Value.GetRawText());
                telemetry.Steps.Add(1, new("job.step.tool", step.Tool), new("job.step.outcome", "succeeded"));
                LogStepSucceeded(index, name, step.Tool, timeProvider.GetElapsedTime(started).TotalMilliseconds);
            }
            catch (Exception ex)
            {
                var message = ex is OperationCanceledException ? "Stopped: the job was cancelled or timed out." : ex.Message;
                await steps.FinishAsync(job, index, succeeded: false, message);
                telemetry.Steps.Add(1, new("job.step.tool", step.Tool), new("job.step.outcome", "failed"));
                LogStepFailed(index, name, step.Tool, timeProvider.GetElapsedTime(started).TotalMilliseconds);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent step {StepIndex} ({StepName}, tool {Tool}) succeeded in {DurationMs:0.0} ms")]
    private partial void LogStepSucceeded(int stepIndex, string stepName, string tool, double durationMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent step {StepIndex} ({StepName}, tool {Tool}) failed after {DurationMs:0.0} ms")]
    private partial void LogStepFailed(int stepIndex, string stepName, string tool, double durationMs);
}

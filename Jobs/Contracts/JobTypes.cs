using System.Text.Json;

namespace Jobs.Contracts;

/// <summary>The job types the Worker runs, and the checks the Api applies to their input before anything is written.</summary>
public static class JobTypes
{
    public const string Echo = "echo";
    public const string Delay = "delay";
    public const string Agent = "agent";
    public const string Webhook = "webhook";
    public const string Fail = "fail";

    public static IReadOnlyList<string> All { get; } = [Echo, Delay, Agent, Webhook, Fail];

    public const int MaxDelayMs = 3_600_000;
    public const int MaxAgentSteps = 50;

    public static bool IsKnown(string type) => All.Contains(type);

    /// <summary>Returns the problems with <paramref name="input"/> for <paramref name="type"/>, empty when it is valid.</summary>
    public static IReadOnlyList<string> Validate(string type, JsonElement input)
    {
        try
        {
            return type switch
            {
                Echo => [],
                Delay => ValidateDelay(Deserialize<DelayInput>(input)),
                Fail => Deserialize<FailInput>(input) is { Failures: >= 0 } ? [] : ["input.failures must be zero or more."],
                Agent => ValidateAgent(Deserialize<AgentInput>(input)),
                Webhook => ValidateWebhook(Deserialize<WebhookInput>(input)),
                _ => [$"Unknown job type '{type}'."],
            };
        }
        catch (JsonException ex)
        {
            return [$"input does not match the '{type}' job type: {ex.Message}"];
        }
    }

    public static T Deserialize<T>(JsonElement input) where T : class =>
        input.Deserialize<T>(JobsJson.Options) ?? throw new JsonException("input must be an object.");

    private static List<string> ValidateDelay(DelayInput input) =>
        input.Ms is >= 0 and <= MaxDelayMs ? [] : [$"input.ms must be between 0 and {MaxDelayMs}."];

    private static List<string> ValidateAgent(AgentInput input)
    {
        List<string> errors = [];
        if (input.Steps is not { Count: > 0 and <= MaxAgentSteps })
        {
            errors.Add($"input.steps must hold 1 to {MaxAgentSteps} steps.");
            return errors;
        }
        for (var i = 0; i < input.Steps.Count; i++)
        {
            if (!AgentTools.IsKnown(input.Steps[i].Tool))
            {
                errors.Add($"input.steps[{i}].tool '{input.Steps[i].Tool}' is not one of: {string.Join(", ", AgentTools.All)}.");
            }
        }
        return errors;
    }

    private static List<string> ValidateWebhook(WebhookInput input) =>
        Uri.TryCreate(input.Url, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
            ? []
            : ["input.url must be an absolute http or https URL."];
}

using System.Text.Json;

namespace Jobs.Contracts;

/// <summary><c>delay</c>: waits <see cref="Ms"/> milliseconds, honouring cancellation.</summary>
public sealed record DelayInput(int Ms);

/// <summary><c>fail</c>: fails the first <see cref="Failures"/> attempts, then succeeds (for tests and demos).</summary>
public sealed record FailInput(int Failures, string? Message);

/// <summary><c>agent</c>: runs tools in order; a step without input receives the previous step's output.</summary>
public sealed record AgentInput(IReadOnlyList<AgentStepInput> Steps);

public sealed record AgentStepInput(string Tool, string? Name, JsonElement? Input);

/// <summary><c>webhook</c>: POSTs <see cref="Payload"/> to <see cref="Url"/>.</summary>
public sealed record WebhookInput(string Url, JsonElement? Payload);

using System.Text.Json;

namespace Worker.Tools;

/// <summary>A tool an <c>agent</c> step can call: JSON in, JSON out.</summary>
public interface IAgentTool
{
    string Name { get; }

    Task<JsonElement> RunAsync(JsonElement? input, CancellationToken cancellationToken);
}

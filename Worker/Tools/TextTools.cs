using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Jobs.Contracts;

namespace Worker.Tools;

/// <summary><c>echo</c>: returns its input.</summary>
public sealed class EchoTool : IAgentTool
{
    public string Name => AgentTools.Echo;

    public Task<JsonElement> RunAsync(JsonElement? input, CancellationToken cancellationToken) =>
        Task.FromResult(input ?? JsonSerializer.SerializeToElement<string?>(null));
}

/// <summary><c>uppercase</c>: upper-cases a string (other JSON is upper-cased as its text).</summary>
public sealed class UppercaseTool : IAgentTool
{
    public string Name => AgentTools.Uppercase;

    public Task<JsonElement> RunAsync(JsonElement? input, CancellationToken cancellationToken) =>
        Task.FromResult(JsonSerializer.SerializeToElement(ToolText.Of(input).ToUpperInvariant()));
}

/// <summary><c>hash</c>: the lowercase hex SHA-256 of the input text.</summary>
public sealed class HashTool : IAgentTool
{
    public string Name => AgentTools.Hash;

    public Task<JsonElement> RunAsync(JsonElement? input, CancellationToken cancellationToken) =>
        Task.FromResult(JsonSerializer.SerializeToElement(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToolText.Of(input))))));
}

internal static class ToolText
{
    /// <summary>A JSON string's value, or the raw text of any other JSON; empty for none.</summary>
    public static string Of(JsonElement? input) => input switch
    {
        null => "",
        { ValueKind: JsonValueKind.String } s => s.GetString()!,
        { } other => other.GetRawText(),
    };
}

namespace Jobs.Contracts;

/// <summary>The names of the tools an <c>agent</c> job's steps may call; the Worker's tool registry implements them.</summary>
public static class AgentTools
{
    public const string Echo = "echo";
    public const string Uppercase = "uppercase";
    public const string Hash = "hash";
    public const string Sleep = "sleep";
    public const string HttpGet = "http-get";

    public static IReadOnlyList<string> All { get; } = [Echo, Uppercase, Hash, Sleep, HttpGet];

    public static bool IsKnown(string? tool) => tool is not null && All.Contains(tool);
}

namespace Worker.Tools;

/// <summary>The agent's tools by name.</summary>
public sealed class ToolRegistry(IEnumerable<IAgentTool> tools)
{
    private readonly Dictionary<string, IAgentTool> _byName = tools.ToDictionary(t => t.Name, StringComparer.Ordinal);

    public IAgentTool? Find(string name) => _byName.GetValueOrDefault(name);
}

namespace Worker.Handlers;

/// <summary>The handlers registered in DI, by job type.</summary>
public sealed class JobHandlers(IEnumerable<IJobHandler> handlers)
{
    private readonly Dictionary<string, IJobHandler> _byType = handlers.ToDictionary(h => h.Type, StringComparer.Ordinal);

    public IJobHandler? Find(string type) => _byType.GetValueOrDefault(type);
}

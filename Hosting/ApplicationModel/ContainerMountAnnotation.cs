namespace Aspire.Hosting.ApplicationModel;

public enum ContainerMountType
{
    Volume,
    BindMount,
}

/// <summary>
/// Storage that outlives a run. With a container engine it is a named volume or bind mount; when the resource runs as a
/// local process the orchestrator maps a volume to a directory under the AppHost's data directory.
/// </summary>
public sealed record ContainerMountAnnotation(string Source, string Target, ContainerMountType Type, bool IsReadOnly = false) : IResourceAnnotation;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// Files a deployment places in a container directory before it starts (PostgreSQL's init scripts that create the
/// model's databases). Locally the orchestrator does that work itself; publishers ship the files.
/// </summary>
public sealed record ContainerFilesAnnotation(string TargetDirectory, Func<IReadOnlyDictionary<string, string>> Files) : IResourceAnnotation;

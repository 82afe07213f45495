namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A shell command, run inside a deployed container, that succeeds when it is ready (Compose's <c>healthcheck</c>,
/// a Kubernetes exec probe). Locally the orchestrator uses <see cref="HealthCheckAnnotation"/> instead.
/// </summary>
public sealed record DeploymentHealthCheckAnnotation(string ShellCommand) : IResourceAnnotation;

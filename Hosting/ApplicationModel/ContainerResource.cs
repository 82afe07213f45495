namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A resource defined by a container image. When no container engine answers, the orchestrator may run an equivalent
/// local program instead (see the resource type's runtime options).
/// </summary>
public class ContainerResource(string name)
    : Resource(name), IResourceWithEnvironment, IResourceWithArgs, IResourceWithEndpoints, IResourceWithWaitSupport;

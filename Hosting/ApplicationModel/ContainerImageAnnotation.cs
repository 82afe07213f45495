namespace Aspire.Hosting.ApplicationModel;

/// <summary>The image a resource runs from when a container engine is available.</summary>
public sealed record ContainerImageAnnotation(string Image, string Tag, string Registry = "docker.io") : IResourceAnnotation
{
    public string FullName => $"{Registry}/{Image}:{Tag}";
}

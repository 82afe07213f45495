namespace Aspire.Hosting.ApplicationModel;

/// <summary>A named part of the distributed application; behaviour hangs off its annotations.</summary>
public interface IResource
{
    string Name { get; }

    ResourceAnnotationCollection Annotations { get; }
}

/// <summary>Marker for data attached to a resource.</summary>
public interface IResourceAnnotation;

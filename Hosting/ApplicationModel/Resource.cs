using System.Diagnostics;

namespace Aspire.Hosting.ApplicationModel;

[DebuggerDisplay("{GetType().Name,nq} {Name}")]
public abstract class Resource : IResource
{
    protected Resource(string name)
    {
        ResourceNameValidator.ThrowIfInvalid(name);
        Name = name;
    }

    public string Name { get; }

    public ResourceAnnotationCollection Annotations { get; } = [];

    public override string ToString() => Name;
}

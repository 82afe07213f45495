using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting.Orchestration;

/// <summary>Rejects a model that cannot run, with one message that names the resource and the fix.</summary>
internal static class ModelValidator
{
    public static void Validate(DistributedApplicationModel model)
    {
        var known = model.Resources.ToHashSet();
        foreach (var resource in model.Resources)
        {
            foreach (var referenced in ReferencedResources(resource))
            {
                if (!known.Contains(referenced))
                {
                    throw new DistributedApplicationException(
                        $"Resource '{resource.Name}' references '{referenced.Name}', which is not part of this application model. " +
                        $"Add '{referenced.Name}' to the same builder (builder.Add...) before referencing it.");
                }
            }

            foreach (var wait in resource.Annotations.OfType<WaitAnnotation>())
            {
                if (ReferenceEquals(wait.Resource, resource))
                {
                    throw new DistributedApplicationException($"Resource '{resource.Name}' waits for itself. Remove the WaitFor call.");
                }
            }
        }

        if (FindWaitCycle(model.Resources) is { } cycle)
        {
            throw new DistributedApplicationException(
                $"WaitFor cycle: {string.Join(" → ", cycle.Select(r => r.Name))}. A resource cannot start until the others are ready; remove one of these WaitFor calls.");
        }
    }

    public static IEnumerable<IResource> ReferencedResources(IResource resource)
    {
        foreach (var annotation in resource.Annotations)
        {
            switch (annotation)
            {
                case WaitAnnotation wait:
                    yield return wait.Resource;
                    break;
                case ResourceRelationshipAnnotation relationship:
                    yield return relationship.Resource;
                    break;
            }
        }

        if (resource is IResourceWithParent child)
        {
            yield return child.Parent;
        }
    }

    /// <summary>What a resource must wait for: its WaitFor targets, and for a child resource, its parent.</summary>
    public static IEnumerable<IResource> WaitDependencies(IResource resource) =>
        resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource)
            .Concat(resource is IResourceWithParent child ? [child.Parent] : [])
            .Distinct();

    private static List<IResource>? FindWaitCycle(IReadOnlyList<IResource> resources)
    {
        var state = new Dictionary<IResource, bool>(); // false = on the current path, true = done
        var path = new List<IResource>();

        List<IResource>? Visit(IResource resource)
        {
            if (state.TryGetValue(resource, out var done))
            {
                return done ? null : [.. path.SkipWhile(r => !ReferenceEquals(r, resource)), resource];
            }

            state[resource] = false;
            path.Add(resource);
            foreach (var dependency in resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource))
            {
                if (Visit(dependency) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[resource] = true;
            return null;
        }

        return resources.Select(Visit).FirstOrDefault(c => c is not null);
    }
}

namespace Aspire.Hosting.ApplicationModel;

/// <summary>Finds the resources a value (expression, endpoint, parameter...) points at.</summary>
internal static class ValueReferences
{
    public static IEnumerable<IResource> ResourcesOf(object? value)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<object?>([value]);
        while (pending.TryPop(out var current))
        {
            if (current is null || !seen.Add(current))
            {
                continue;
            }

            if (current is IResource resource)
            {
                yield return resource;
            }

            if (current is IValueWithReferences withReferences)
            {
                foreach (var reference in withReferences.References)
                {
                    pending.Push(reference);
                }
            }
        }
    }
}

using Aspire.Dashboard.Configuration;
using Aspire.Dashboard.Otlp.Model;
using Microsoft.Extensions.Options;

namespace Aspire.Dashboard.Otlp.Storage;

// Interns resources by (service.name, service.instance.id) and names them for display. At most
// MaxResourceCount are kept: a flood of made-up service names or instance ids must not grow it without end.
public sealed class ResourceRegistry(IOptions<DashboardOptions> options) : ChangeNotifier
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Name, string Instance), TelemetryResource> _resources = [];
    private readonly int _maxResources = options.Value.TelemetryLimits.MaxResourceCount;

    // Null when the resource is new and the registry is full.
    public TelemetryResource? GetOrAdd(string serviceName, string instanceId, Func<KeyValuePair<string, string>[]> attributes)
    {
        lock (_lock)
        {
            if (_resources.TryGetValue((serviceName, instanceId), out var existing))
            {
                return existing;
            }

            if (_resources.Count >= _maxResources)
            {
                return null;
            }

            var resource = new TelemetryResource(serviceName, instanceId, attributes());
            _resources.Add((serviceName, instanceId), resource);
            Rename(serviceName);
            NotifyChanged();
            return resource;
        }
    }

    public IReadOnlyList<TelemetryResource> GetResources()
    {
        lock (_lock)
        {
            return [.. _resources.Values.OrderBy(r => r.DisplayName, StringComparer.OrdinalIgnoreCase)];
        }
    }

    private void Rename(string serviceName)
    {
        var instances = _resources.Values.Where(r => r.ServiceName == serviceName).ToList();
        foreach (var resource in instances)
        {
            resource.DisplayName = DisplayName(resource, instances.Count);
        }
    }

    private static string DisplayName(TelemetryResource resource, int instanceCount)
    {
        if (resource.InstanceId.StartsWith(resource.ServiceName + "-", StringComparison.Ordinal))
        {
            return resource.InstanceId;
        }

        return instanceCount == 1 || resource.InstanceId.Length == 0
            ? resource.ServiceName
            : $"{resource.ServiceName}-{resource.InstanceId[..Math.Min(8, resource.InstanceId.Length)]}";
    }
}

namespace Aspire.Dashboard.Otlp.Model;

// One OTLP resource: a service.name and its service.instance.id (a replica, under the AppHost).
public sealed class TelemetryResource(string serviceName, string instanceId, KeyValuePair<string, string>[] attributes)
{
    public string ServiceName { get; } = serviceName;
    public string InstanceId { get; } = instanceId;
    public KeyValuePair<string, string>[] Attributes { get; } = attributes;

    // Assigned by the registry: the AppHost names replicas "<service>-<n>", which reads best as is.
    public string DisplayName { get; internal set; } = serviceName;

    public bool Matches(string name) =>
        string.Equals(DisplayName, name, StringComparison.OrdinalIgnoreCase)
        || string.Equals(ServiceName, name, StringComparison.OrdinalIgnoreCase);

    public override string ToString() => DisplayName;
}

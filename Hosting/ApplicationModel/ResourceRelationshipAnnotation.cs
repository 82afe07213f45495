namespace Aspire.Hosting.ApplicationModel;

/// <summary>Records that a resource uses another (shown by the dashboard; "Reference", "WaitFor", "Parent").</summary>
public sealed record ResourceRelationshipAnnotation(IResource Resource, string Type) : IResourceAnnotation;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>Keeps a resource out of the dashboard's resource list (the dashboard itself, for one).</summary>
public sealed record HiddenResourceAnnotation : IResourceAnnotation;

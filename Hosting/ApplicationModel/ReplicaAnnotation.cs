namespace Aspire.Hosting.ApplicationModel;

/// <summary>How many processes run this resource; each replica gets its own process and port.</summary>
public sealed record ReplicaAnnotation(int Replicas) : IResourceAnnotation;

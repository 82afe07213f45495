namespace Aspire.Hosting.ApplicationModel;

public enum WaitType
{
    /// <summary>Start once the dependency is running and healthy.</summary>
    WaitUntilHealthy,

    /// <summary>Start once the dependency has run to completion.</summary>
    WaitForCompletion,
}

/// <summary>Holds a resource in the Waiting state until <see cref="Resource"/> is ready.</summary>
public sealed record WaitAnnotation(IResource Resource, WaitType WaitType = WaitType.WaitUntilHealthy) : IResourceAnnotation;

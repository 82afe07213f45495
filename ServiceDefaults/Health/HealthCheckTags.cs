namespace Microsoft.Extensions.Hosting;

public static class HealthCheckTags
{
    /// <summary>Checks run by <c>/health/live</c> and <c>/alive</c>: the process itself, never a dependency.</summary>
    public const string Live = "live";

    /// <summary>Dependency checks run by <c>/health/ready</c>.</summary>
    public const string Ready = "ready";
}

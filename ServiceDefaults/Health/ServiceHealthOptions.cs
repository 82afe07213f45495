namespace Microsoft.Extensions.Hosting;

/// <summary>Bound from <c>Health</c>.</summary>
public sealed class ServiceHealthOptions
{
    public const string SectionName = "Health";

    /// <summary>Longest any one check may take; checks run in parallel, so readiness answers within about this long.</summary>
    public TimeSpan CheckTimeout { get; set; } = TimeSpan.FromMilliseconds(800);

    /// <summary>Directories whose free disk space <c>/health/detailed</c> reports (default: content root and temp directory).</summary>
    public List<string> DataPaths { get; } = [];
}

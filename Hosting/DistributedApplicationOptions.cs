using System.Reflection;

namespace Aspire.Hosting;

public sealed class DistributedApplicationOptions
{
    public string[]? Args { get; set; }

    /// <summary>Do not start the dashboard (tests default to this).</summary>
    public bool DisableDashboard { get; set; }

    /// <summary>The AppHost assembly; defaults to the entry assembly.</summary>
    public Assembly? Assembly { get; set; }

    /// <summary>Overrides DOTNET_ENVIRONMENT for the AppHost and the services it starts.</summary>
    public string? EnvironmentName { get; set; }
}

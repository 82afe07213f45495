namespace Aspire.Hosting;

/// <summary>Orchestrator settings, bound from the <c>Hosting</c> configuration section of the AppHost.</summary>
public sealed class HostingOptions
{
    public const string SectionName = "Hosting";

    /// <summary>Root for volumes and per-run scratch data. Defaults to a per-user, per-AppHost directory.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Where generated parameter values are saved. Defaults to the AppHost's user secrets.</summary>
    public string? SecretsFile { get; set; }

    /// <summary>Ignore fixed ports and allocate free ones (tests).</summary>
    public bool RandomizePorts { get; set; }

    /// <summary>Echo every resource's console output on the AppHost's console.</summary>
    public bool ConsoleOutput { get; set; } = true;

    /// <summary><c>docker</c>, <c>podman</c> or <c>none</c>; detected when unset (also read from ASPIRE_CONTAINER_RUNTIME).</summary>
    public string? ContainerRuntime { get; set; }

    /// <summary>How long a resource gets to exit after its stop signal before it is killed.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a healthy resource is probed; unhealthy ones are probed faster.</summary>
    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromSeconds(5);
}

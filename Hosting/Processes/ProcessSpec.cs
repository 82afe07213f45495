namespace Aspire.Hosting.Processes;

/// <summary>Everything needed to start one OS process for a resource instance.</summary>
internal sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments)
{
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables set on top of the AppHost's own environment (minus AppHost-only variables).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>An unprivileged account to run as (servers such as PostgreSQL refuse to run as root).</summary>
    public string? RunAsUser { get; init; }

    /// <summary>The signal that asks the program to shut down cleanly (PostgreSQL: SIGINT for a fast shutdown).</summary>
    public UnixSignal StopSignal { get; init; } = UnixSignal.Terminate;

    public string DisplayCommand => string.Join(' ', [FileName, .. Arguments.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a)]);
}

internal enum UnixSignal
{
    Interrupt = 2,
    Kill = 9,
    Terminate = 15,
}

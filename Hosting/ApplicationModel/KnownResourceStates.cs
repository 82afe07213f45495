namespace Aspire.Hosting.ApplicationModel;

/// <summary>The lifecycle states a resource instance moves through (Aspire's names).</summary>
public static class KnownResourceStates
{
    public const string NotStarted = "NotStarted";
    public const string Waiting = "Waiting";
    public const string Starting = "Starting";
    public const string Running = "Running";
    public const string Stopping = "Stopping";
    public const string Exited = "Exited";
    public const string Finished = "Finished";
    public const string FailedToStart = "FailedToStart";

    /// <summary>States from which an instance will not come back by itself.</summary>
    public static IReadOnlyList<string> TerminalStates { get; } = [Exited, Finished, FailedToStart];
}

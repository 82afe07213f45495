namespace Aspire.Hosting.Testing;

/// <summary>
/// Lets the testing builder run an AppHost's own <c>Main</c>: options are adjusted before the builder is created,
/// Main pauses in <c>Build()</c> until the test has customised the builder, and once the application is built Main is
/// ended with <see cref="TestingAbortException"/> instead of running it.
/// </summary>
internal sealed class DistributedApplicationTestingHooks
{
    private static readonly AsyncLocal<DistributedApplicationTestingHooks?> CurrentHooks = new();

    public static DistributedApplicationTestingHooks? Current
    {
        get => CurrentHooks.Value;
        set => CurrentHooks.Value = value;
    }

    public required Action<DistributedApplicationOptions> ConfigureOptions { get; init; }

    public required Action<DistributedApplicationBuilder> OnBuilding { get; init; }

    public required Action<DistributedApplication> OnBuilt { get; init; }
}

/// <summary>Ends an AppHost's Main once the testing builder has the application it built.</summary>
internal sealed class TestingAbortException : Exception
{
    public TestingAbortException() : base("The testing builder took over the application.")
    {
    }
}

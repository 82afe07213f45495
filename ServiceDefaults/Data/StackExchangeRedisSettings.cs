namespace Aspire.StackExchange.Redis;

/// <summary>Aspire.StackExchange.Redis's settings, bound from <c>Aspire:StackExchange:Redis</c> and <c>...:{connectionName}</c>.</summary>
public sealed class StackExchangeRedisSettings
{
    public string? ConnectionString { get; set; }

    public bool DisableHealthChecks { get; set; }

    public bool DisableTracing { get; set; }

    /// <summary>When false (the default here) the connection is opened in the background at start-up, not on first use.</summary>
    public bool DisableAutoActivation { get; set; }
}

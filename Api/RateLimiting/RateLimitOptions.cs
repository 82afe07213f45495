namespace Api.RateLimiting;

/// <summary>A token bucket per API key, shared by every Api replica through Redis. Section <c>Jobs:RateLimit</c>.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Jobs:RateLimit";

    public bool Enabled { get; set; } = true;

    /// <summary>Tokens added per second (the sustained request rate).</summary>
    public double PermitsPerSecond { get; set; } = 200;

    /// <summary>Bucket size (the burst a quiet key may spend at once).</summary>
    public int Burst { get; set; } = 400;

    internal static bool IsValid(RateLimitOptions o) => o.PermitsPerSecond > 0 && o.Burst >= 1;
}

namespace Microsoft.Extensions.Hosting;

public static class ApiKeyDefaults
{
    public const string AuthenticationScheme = "ApiKey";

    public const string HeaderName = "X-API-Key";

    public const string ScopeClaimType = "scope";

    /// <summary>A stable, non-secret id of the key that authenticated the request (hex prefix of its hash).</summary>
    public const string KeyIdClaimType = "key_id";

    /// <summary>The scope held by plain <c>Auth:ApiKeys:N</c> keys; it satisfies every scope requirement.</summary>
    public const string AllScopes = "*";
}

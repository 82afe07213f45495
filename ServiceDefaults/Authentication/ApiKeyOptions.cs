namespace Microsoft.Extensions.Hosting;

/// <summary>Bound from the <c>Auth</c> configuration section.</summary>
public sealed class ApiKeyOptions
{
    public const string SectionName = "Auth";

    /// <summary>Plain keys (<c>Auth:ApiKeys:N</c>); each one holds every scope. Hashed at load, never kept in plain text.</summary>
    public List<string> ApiKeys { get; } = [];

    /// <summary>Hashed, scoped keys (<c>Auth:Keys:N:Name</c>, <c>:Sha256</c>, <c>:Scopes:M</c>).</summary>
    public List<ScopedApiKey> Keys { get; } = [];
}

public sealed class ScopedApiKey
{
    public string? Name { get; set; }

    /// <summary>Hex (or base64) SHA-256 of the key's UTF-8 bytes.</summary>
    public string? Sha256 { get; set; }

    public List<string> Scopes { get; } = [];
}

namespace Api.Apis;

/// <summary>
/// The API-key scopes the jobs endpoints require (ServiceDefaults' <c>RequireScope</c>). Plain keys
/// (<c>Auth:ApiKeys:N</c>) hold every scope; hashed keys (<c>Auth:Keys:N</c>) hold the scopes configured for them.
/// </summary>
public static class Scopes
{
    public const string Read = "jobs:read";
    public const string Write = "jobs:write";
}

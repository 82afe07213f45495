using Microsoft.AspNetCore.Authorization;

namespace Api.Apis;

/// <summary>The API-key scopes the Api checks; a key configured without scopes holds them all.</summary>
public static class Scopes
{
    public const string Read = "jobs:read";
    public const string Write = "jobs:write";

    public static AuthorizationBuilder AddJobScopes(this AuthorizationBuilder builder) => builder
        .AddPolicy(Read, policy => policy.RequireAuthenticatedUser().RequireClaim("scope", Read))
        .AddPolicy(Write, policy => policy.RequireAuthenticatedUser().RequireClaim("scope", Write));
}

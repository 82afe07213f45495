using Microsoft.AspNetCore.Authorization;

namespace Microsoft.Extensions.Hosting;

/// <summary>Met when the caller holds every listed scope, or the all-scopes scope of a plain key.</summary>
public sealed class ScopeRequirement(IReadOnlyList<string> scopes) : AuthorizationHandler<ScopeRequirement>, IAuthorizationRequirement
{
    public IReadOnlyList<string> Scopes { get; } = scopes;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        var user = context.User;
        if (user.HasClaim(ApiKeyDefaults.ScopeClaimType, ApiKeyDefaults.AllScopes)
            || requirement.Scopes.All(scope => user.HasClaim(ApiKeyDefaults.ScopeClaimType, scope)))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}

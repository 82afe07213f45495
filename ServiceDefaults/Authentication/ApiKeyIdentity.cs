using System.Security.Claims;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The identity of one configured key, built once and shared by every request made with it, so it refuses to change:
/// a change would reach the key's other requests. Each request gets its own principal around it, so code that adds
/// claims (an <c>IClaimsTransformation</c>) adds them as a new identity (<see cref="ClaimsPrincipal.AddIdentity"/>).
/// </summary>
internal sealed class ApiKeyIdentity(IEnumerable<Claim> claims)
    : ClaimsIdentity(claims, ApiKeyDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role)
{
    private const string ReadOnly = "The identity of an API key is shared by all of its requests and cannot change; add claims as a new identity of the request's principal (ClaimsPrincipal.AddIdentity).";

    public override void AddClaim(Claim claim) => throw new InvalidOperationException(ReadOnly);

    public override void AddClaims(IEnumerable<Claim?> claims) => throw new InvalidOperationException(ReadOnly);

    public override void RemoveClaim(Claim? claim) => throw new InvalidOperationException(ReadOnly);

    public override bool TryRemoveClaim(Claim? claim) => throw new InvalidOperationException(ReadOnly);
}

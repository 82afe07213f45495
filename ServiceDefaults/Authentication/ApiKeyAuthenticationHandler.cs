using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Microsoft.Extensions.Hosting;

/// <summary>Accepts a key as <c>X-API-Key</c> or <c>Authorization: Bearer</c> (what Prometheus' <c>authorization.credentials</c> sends).</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyStore store)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    // Far longer than any generated key; bounds the hashing work an anonymous client can ask for.
    private const int MaxKeyLength = 512;
    private const string BearerPrefix = "Bearer ";

    // "No key" is the same answer every time: one cached task.
    private static readonly Task<AuthenticateResult> NoKey = Task.FromResult(AuthenticateResult.NoResult());

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!TryGetPresentedKey(Request, out var key))
        {
            return NoKey;
        }
        if (key.Length > MaxKeyLength || store.Find(key) is not { } entry)
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }

        var claims = new List<Claim>(entry.Scopes.Count + 2)
        {
            new(ClaimTypes.Name, entry.Name),
            new(ApiKeyDefaults.KeyIdClaimType, entry.KeyId),
        };
        claims.AddRange(entry.Scopes.Select(scope => new Claim(ApiKeyDefaults.ScopeClaimType, scope)));
        var identity = new ClaimsIdentity(claims, Scheme.Name, ClaimTypes.Name, ClaimTypes.Role);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = $"Bearer, {ApiKeyDefaults.AuthenticationScheme} header=\"{ApiKeyDefaults.HeaderName}\"";
        var detail = result.Failure?.Message
            ?? $"An API key is required, sent as the {ApiKeyDefaults.HeaderName} header or as Authorization: Bearer.";
        await ProblemResponses.WriteAsync(Context, StatusCodes.Status401Unauthorized, detail);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ProblemResponses.WriteAsync(Context, StatusCodes.Status403Forbidden, "The API key does not hold the scope this endpoint requires.");

    private static bool TryGetPresentedKey(HttpRequest request, out string key)
    {
        key = request.Headers[ApiKeyDefaults.HeaderName].ToString();
        if (key.Length > 0)
        {
            return true;
        }
        var authorization = request.Headers[HeaderNames.Authorization].ToString();
        if (authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            key = authorization[BearerPrefix.Length..].Trim();
            return key.Length > 0;
        }
        return false;
    }
}

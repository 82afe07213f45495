using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Api.Interim;

// Interim until ServiceDefaults ships API-key authentication (issue 4, scheme "ApiKey"): plain keys from
// Auth:ApiKeys:N with every scope, X-API-Key or Bearer, hashes compared in constant time. Delete with this folder.
internal sealed class InterimApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IConfiguration configuration)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? presented = Request.Headers["X-API-Key"];
        if (string.IsNullOrEmpty(presented) && Request.Headers.Authorization.ToString() is { } auth && auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = auth["Bearer ".Length..].Trim();
        }
        if (string.IsNullOrEmpty(presented))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var keys = configuration.GetSection("Auth:ApiKeys").GetChildren().ToList();
        foreach (var key in keys)
        {
            if (key.Value is { Length: > 0 } value && CryptographicOperations.FixedTimeEquals(hash, SHA256.HashData(Encoding.UTF8.GetBytes(value))))
            {
                var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, $"key-{key.Key}"), new Claim("scope", Scopes.Read), new Claim("scope", Scopes.Write)], SchemeName);
                return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
            }
        }
        return Task.FromResult(AuthenticateResult.Fail("Invalid API key."));
    }
}

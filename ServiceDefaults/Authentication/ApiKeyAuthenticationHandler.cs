using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Accepts a key as <c>X-API-Key</c> or <c>Authorization: Bearer</c> (what Prometheus' <c>authorization.credentials</c>
/// sends). A plain <see cref="IAuthenticationHandler"/> rather than <c>AuthenticationHandler&lt;TOptions&gt;</c>: it is
/// created for every keyed request, and the base class's options, events and logger lookups buy nothing for a scheme
/// without options; a known key costs a hash, a lookup and a principal around the key's prebuilt identity.
/// </summary>
internal sealed partial class ApiKeyAuthenticationHandler(ApiKeyStore store, ILogger<ApiKeyAuthenticationHandler> logger) : IAuthenticationHandler
{
    // Far longer than any generated key; bounds the hashing work an anonymous client can ask for.
    private const int MaxKeyLength = 512;
    private const string BearerPrefix = "Bearer ";
    private const string InvalidKey = "The API key is not valid.";

    // "No key" is the same answer every time: one cached task.
    private static readonly Task<AuthenticateResult> NoKey = Task.FromResult(AuthenticateResult.NoResult());

    private AuthenticationScheme _scheme = null!;
    private HttpContext _context = null!;
    private Task<AuthenticateResult>? _result;

    public Task InitializeAsync(AuthenticationScheme scheme, HttpContext context)
    {
        _scheme = scheme;
        _context = context;
        return Task.CompletedTask;
    }

    /// <summary>Examines the key once per request, however many policies ask.</summary>
    public Task<AuthenticateResult> AuthenticateAsync() => _result ??= Authenticate();

    public async Task ChallengeAsync(AuthenticationProperties? properties)
    {
        var result = await AuthenticateAsync();
        _context.Response.Headers.WWWAuthenticate = $"Bearer, {ApiKeyDefaults.AuthenticationScheme} header=\"{ApiKeyDefaults.HeaderName}\"";
        var detail = result.Failure?.Message
            ?? $"An API key is required, sent as the {ApiKeyDefaults.HeaderName} header or as Authorization: Bearer.";
        await ProblemResponses.WriteAsync(_context, StatusCodes.Status401Unauthorized, detail);
    }

    public Task ForbidAsync(AuthenticationProperties? properties) =>
        ProblemResponses.WriteAsync(_context, StatusCodes.Status403Forbidden, "The API key does not hold the scope this endpoint requires.");

    private Task<AuthenticateResult> Authenticate()
    {
        if (!TryGetPresentedKey(_context.Request, out var key))
        {
            return NoKey;
        }
        if (key.Length > MaxKeyLength || store.Find(key) is not { } entry)
        {
            LogRejected(logger, _scheme.Name);
            return Task.FromResult(AuthenticateResult.Fail(InvalidKey));
        }
        // A principal of the request's own around the key's shared, read-only identity: what a claims transformation
        // adds to it stays with this request.
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(entry.Identity), _scheme.Name)));
    }

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

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{scheme} was not authenticated: the presented API key is not valid")]
    private static partial void LogRejected(ILogger logger, string scheme);
}

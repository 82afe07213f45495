using System.Net;
using System.Text.Json;
using ServiceDefaults.Tests.Infrastructure;

namespace ServiceDefaults.Tests;

public sealed class SecurityHeadersTests : IAsyncLifetime
{
    private TestService _service = null!;

    public async Task InitializeAsync() => _service = await TestService.StartAsync(configuration: new Dictionary<string, string?>
    {
        ["Cors:AllowedOrigins:0"] = "https://app.example.com",
    });

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Theory]
    [InlineData("/items/1", HttpStatusCode.OK)]
    [InlineData("/no/such/route", HttpStatusCode.NotFound)]
    [InlineData("/boom", HttpStatusCode.InternalServerError)]
    public async Task Every_response_has_the_hardening_headers_and_no_server_header(string path, HttpStatusCode status)
    {
        using var response = await _service.Http.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", Header(response, "Content-Security-Policy"));
        Assert.False(response.Headers.Contains("Server"));
        Assert.False(response.Headers.Contains("Strict-Transport-Security")); // plain HTTP: HSTS only over HTTPS
    }

    [Fact]
    public async Task Html_responses_keep_their_own_content_security_policy()
    {
        using var response = await _service.Http.GetAsync("/html");
        Assert.False(response.Headers.Contains("Content-Security-Policy"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
    }

    [Fact]
    public async Task Cors_allows_a_configured_origin()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/items/1");
        request.Headers.Add("Origin", "https://app.example.com");
        request.Headers.Add("Access-Control-Request-Method", "GET");
        using var response = await _service.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("https://app.example.com", Header(response, "Access-Control-Allow-Origin"));

        using var simple = new HttpRequestMessage(HttpMethod.Get, "/items/1");
        simple.Headers.Add("Origin", "https://app.example.com");
        using var simpleResponse = await _service.Http.SendAsync(simple);
        Assert.Equal("https://app.example.com", Header(simpleResponse, "Access-Control-Allow-Origin"));
        Assert.Contains("X-Request-ID", Header(simpleResponse, "Access-Control-Expose-Headers"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cors_ignores_other_origins()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/items/1");
        request.Headers.Add("Origin", "https://evil.example.com");
        using var response = await _service.Http.SendAsync(request);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Cors_is_off_without_configured_origins()
    {
        await using var plain = await TestService.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/items/1");
        request.Headers.Add("Origin", "https://app.example.com");
        using var response = await plain.Http.SendAsync(request);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Forwarded_headers_are_ignored_unless_the_proxy_is_configured()
    {
        Assert.Equal("127.0.0.1", (await WhoAmIForwardedAsync(_service)).GetProperty("remoteIp").GetString());

        await using var behindProxy = await TestService.StartAsync(configuration: new Dictionary<string, string?>
        {
            ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
        });
        var seen = await WhoAmIForwardedAsync(behindProxy);
        Assert.Equal("203.0.113.7", seen.GetProperty("remoteIp").GetString());
        Assert.Equal("https", seen.GetProperty("scheme").GetString());

        await using var otherProxy = await TestService.StartAsync(configuration: new Dictionary<string, string?>
        {
            ["ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/8",
        });
        Assert.Equal("127.0.0.1", (await WhoAmIForwardedAsync(otherProxy)).GetProperty("remoteIp").GetString());
    }

    private static async Task<JsonElement> WhoAmIForwardedAsync(TestService service)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/whoami");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var response = await service.Http.SendAsync(request);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : throw new Xunit.Sdk.XunitException($"Missing header {name}");
}

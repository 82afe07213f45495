using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServiceDefaults.Tests.Infrastructure;

namespace ServiceDefaults.Tests;

public sealed class ApiKeyAuthenticationTests : IAsyncLifetime
{
    private const string ReaderKey = "reader-key-abcdefghijklmnopqrstuvwxyz";
    private const string WriterKey = "writer-key-abcdefghijklmnopqrstuvwxyz";

    private TestService _service = null!;

    public async Task InitializeAsync() => _service = await TestService.StartAsync(configuration: new Dictionary<string, string?>
    {
        ["Auth:Keys:0:Name"] = "reader",
        ["Auth:Keys:0:Sha256"] = ApiKeyStore.ComputeSha256Hex(ReaderKey),
        ["Auth:Keys:0:Scopes:0"] = "jobs:read",
        ["Auth:Keys:1:Name"] = "writer",
        ["Auth:Keys:1:Sha256"] = Convert.ToBase64String(Convert.FromHexString(ApiKeyStore.ComputeSha256Hex(WriterKey))),
        ["Auth:Keys:1:Scopes:0"] = "jobs:read",
        ["Auth:Keys:1:Scopes:1"] = "jobs:write",
    });

    public async Task DisposeAsync() => await _service.DisposeAsync();

    /// <summary>Only the reader key, for tests that start a service of their own.</summary>
    private static Dictionary<string, string?> ReaderOnly() => new()
    {
        ["Auth:Keys:0:Name"] = "reader",
        ["Auth:Keys:0:Sha256"] = ApiKeyStore.ComputeSha256Hex(ReaderKey),
        ["Auth:Keys:0:Scopes:0"] = "jobs:read",
    };

    [Fact]
    public async Task No_key_is_401_problem_with_challenge()
    {
        using var response = await _service.Http.GetAsync("/secure/any");
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task Wrong_key_is_401_problem()
    {
        using var response = await SendAsync("/secure/any", apiKey: TestService.ApiKey + "x");
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("The API key is not valid.", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Plain_key_is_accepted_as_header_or_bearer_and_holds_every_scope(bool bearer)
    {
        foreach (var path in new[] { "/secure/any", "/secure/jobs-write", "/secure/group" })
        {
            using var response = await SendAsync(path, apiKey: bearer ? null : TestService.ApiKey, bearer: bearer ? TestService.ApiKey : null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Hashed_key_without_the_scope_is_403_problem()
    {
        using var response = await SendAsync("/secure/jobs-write", apiKey: ReaderKey);
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Hashed_key_with_the_scope_is_accepted_on_endpoints_and_groups()
    {
        using var write = await SendAsync("/secure/jobs-write", bearer: WriterKey);
        Assert.Equal(HttpStatusCode.OK, write.StatusCode);
        using var group = await SendAsync("/secure/group", apiKey: ReaderKey);
        Assert.Equal(HttpStatusCode.OK, group.StatusCode);
    }

    [Fact]
    public async Task Public_endpoints_need_no_key()
    {
        using var response = await _service.Http.GetAsync("/items/3");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Default_policy_asks_for_an_api_key()
    {
        using var anonymous = await _service.Http.GetAsync("/secure/default-policy");
        await ProblemAssert.IsProblemAsync(anonymous, HttpStatusCode.Unauthorized);
        using var wrong = await SendAsync("/secure/default-policy", apiKey: TestService.ApiKey + "x");
        await ProblemAssert.IsProblemAsync(wrong, HttpStatusCode.Unauthorized);
        using var keyed = await SendAsync("/secure/default-policy", bearer: ReaderKey);
        Assert.Equal(HttpStatusCode.OK, keyed.StatusCode);
    }

    [Fact]
    public async Task Public_endpoints_do_not_authenticate_a_presented_key()
    {
        // No default authenticate scheme: the key is looked at only where a policy asks for it.
        using var response = await SendAsync("/whoami", apiKey: TestService.ApiKey);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(body.RootElement.GetProperty("authenticated").GetBoolean());
        using var invalid = await SendAsync("/whoami", apiKey: "not-a-key-at-all");
        Assert.Equal(HttpStatusCode.OK, invalid.StatusCode);
    }

    [Fact]
    public void Store_matches_only_the_exact_key_and_names_it()
    {
        var store = (ApiKeyStore)_service.Services.GetService(typeof(ApiKeyStore))!;
        Assert.Equal("writer", store.Find(WriterKey)?.Name);
        Assert.Equal("key-0", store.Find(TestService.ApiKey)?.Name);
        Assert.Null(store.Find(WriterKey.AsSpan(0, WriterKey.Length - 1)));
        Assert.Null(store.Find(string.Empty));
    }

    [Fact]
    public async Task Malformed_hash_in_configuration_stops_start_up_with_the_key_named()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestService.StartAsync(configuration: new Dictionary<string, string?>
        {
            ["Auth:Keys:0:Name"] = "broken",
            ["Auth:Keys:0:Sha256"] = "not-a-hash",
        }));
        Assert.Contains("Auth:Keys:0:Sha256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_keys_identity_is_shared_by_its_requests_so_it_cannot_be_changed_by_one_of_them()
    {
        await using var service = await TestService.StartAsync(map: MapClaims, configuration: ReaderOnly());
        var keyId = ApiKeyStore.ComputeSha256Hex(ReaderKey)[..16];

        for (var i = 0; i < 2; i++)
        {
            var claims = await GetClaimsAsync(service, "/claims?mutate=true", ReaderKey);
            Assert.Equal([$"{ClaimTypes.Name}=reader", $"key_id={keyId}", "scope=jobs:read", "mutation-refused=True"], claims);
        }
    }

    [Fact]
    public async Task Claims_transformation_adds_claims_to_one_request_only()
    {
        await using var service = await TestService.StartAsync(map: MapClaims, configure: builder =>
            builder.Services.AddSingleton<IClaimsTransformation, CountingTransformation>());

        var first = await GetClaimsAsync(service, "/claims", TestService.ApiKey);
        var second = await GetClaimsAsync(service, "/claims", TestService.ApiKey);
        Assert.Equal(["request=1"], first.Where(c => c.StartsWith("request=", StringComparison.Ordinal)));
        Assert.Equal(["request=2"], second.Where(c => c.StartsWith("request=", StringComparison.Ordinal)));
        Assert.Contains("scope=*", second);
    }

    [Fact]
    public async Task Changed_scopes_in_configuration_apply_to_the_next_request()
    {
        await using var service = await TestService.StartAsync(map: MapClaims, configuration: ReaderOnly());
        Assert.Contains("scope=jobs:read", await GetClaimsAsync(service, "/claims", ReaderKey));

        var configuration = (IConfigurationRoot)service.Services.GetRequiredService<IConfiguration>();
        configuration["Auth:Keys:0:Scopes:0"] = "jobs:write";
        configuration.Reload();

        var claims = await GetClaimsAsync(service, "/claims", ReaderKey);
        Assert.Contains("scope=jobs:write", claims);
        Assert.DoesNotContain("scope=jobs:read", claims);
    }

    private static void MapClaims(WebApplication app) => app.MapGet("/claims", (HttpContext context, bool? mutate) =>
    {
        var claims = context.User.Claims.Select(c => $"{c.Type}={c.Value}").ToList();
        if (mutate == true)
        {
            // What a careless handler might do; with a shared identity it would leak into the key's next requests.
            var refused = false;
            try
            {
                ((ClaimsIdentity)context.User.Identity!).AddClaim(new Claim("leak", "1"));
            }
            catch (InvalidOperationException)
            {
                refused = true;
            }
            claims.Add($"mutation-refused={refused}");
        }
        return TypedResults.Ok(claims);
    }).RequireScope();

    private static async Task<List<string>> GetClaimsAsync(TestService service, string path, string apiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-API-Key", apiKey);
        using var response = await service.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<List<string>>())!;
    }

    /// <summary>Adds a per-request claim the way ASP.NET Core's documentation does: a new identity on the principal it is given.</summary>
    private sealed class CountingTransformation : IClaimsTransformation
    {
        private int _count;

        public Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
        {
            var count = Interlocked.Increment(ref _count).ToString(CultureInfo.InvariantCulture);
            principal.AddIdentity(new ClaimsIdentity([new Claim("request", count)]));
            return Task.FromResult(principal);
        }
    }

    private Task<HttpResponseMessage> SendAsync(string path, string? apiKey = null, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (apiKey is not null)
        {
            request.Headers.Add("X-API-Key", apiKey);
        }
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return _service.Http.SendAsync(request);
    }
}

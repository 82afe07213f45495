using System.Net;
using System.Net.Http.Headers;
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

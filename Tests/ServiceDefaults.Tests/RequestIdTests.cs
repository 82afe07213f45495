using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ServiceDefaults.Tests.Infrastructure;

namespace ServiceDefaults.Tests;

public sealed class RequestIdTests : IAsyncLifetime
{
    private TestService _service = null!;

    public async Task InitializeAsync() => _service = await TestService.StartAsync();

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Theory]
    [InlineData("abc-123")]
    [InlineData("A.b_c:d-E")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456")] // 127
    public async Task Valid_client_id_is_kept(string id)
    {
        var (header, seen) = await GetAsync(id);
        Assert.Equal(id, header);
        Assert.Equal(id, seen.GetProperty("requestId").GetString());
        Assert.Equal(id, seen.GetProperty("current").GetString());
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    [InlineData("a/b<script>")]
    [InlineData("")]
    public async Task Invalid_client_id_is_replaced(string id)
    {
        var (header, _) = await GetAsync(id);
        Assert.NotEqual(id, header);
        Assert.Matches("^[0-9a-f]{32}$", header);
    }

    [Fact]
    public async Task Id_longer_than_128_chars_is_replaced()
    {
        var (header, _) = await GetAsync(new string('a', 129));
        Assert.Matches("^[0-9a-f]{32}$", header);
        var (exact, _) = await GetAsync(new string('a', 128));
        Assert.Equal(new string('a', 128), exact);
    }

    [Fact]
    public async Task Missing_id_is_generated_and_unique()
    {
        var (first, _) = await GetAsync(null);
        var (second, _) = await GetAsync(null);
        Assert.Matches("^[0-9a-f]{32}$", first);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Error_responses_carry_the_id()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/boom");
        request.Headers.Add("X-Request-ID", "err-1");
        using var response = await _service.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("err-1", Assert.Single(response.Headers.GetValues("X-Request-ID")));
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.InternalServerError);
        Assert.Equal("err-1", problem.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task Id_is_forwarded_on_outgoing_http_calls()
    {
        await using var downstream = await TestService.StartAsync(map: app =>
            app.MapGet("/echo", (HttpContext context) => context.Request.Headers["X-Request-ID"].ToString()));
        await using var upstream = await TestService.StartAsync(
            map: app => app.MapGet("/call", async (IHttpClientFactory factory) =>
                await factory.CreateClient("downstream").GetStringAsync(new Uri(downstream.BaseAddress, "/echo"))),
            configure: builder => builder.Services.AddHttpClient("downstream"));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/call");
        request.Headers.Add("X-Request-ID", "fwd-42");
        using var response = await upstream.Http.SendAsync(request);
        Assert.Equal("fwd-42", await response.Content.ReadAsStringAsync());
    }

    private async Task<(string Header, JsonElement Seen)> GetAsync(string? id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/whoami");
        if (id is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Request-ID", id);
        }
        using var response = await _service.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var seen = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (Assert.Single(response.Headers.GetValues("X-Request-ID")), seen);
    }
}

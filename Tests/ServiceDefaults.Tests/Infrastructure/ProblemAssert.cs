using System.Net;
using System.Text.Json;

namespace ServiceDefaults.Tests.Infrastructure;

internal static class ProblemAssert
{
    /// <summary>Asserts the RFC 9457 shape every error shares and returns the parsed body.</summary>
    public static async Task<JsonElement> IsProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(body.GetProperty("type").GetString()));

        var requestId = Assert.Single(response.Headers.GetValues("X-Request-ID"));
        Assert.Equal(requestId, body.GetProperty("requestId").GetString());
        Assert.Matches("^[0-9a-f]{32}$", body.GetProperty("traceId").GetString());
        return body;
    }
}

using System.Text.Json;
using Jobs.Contracts;
using Worker.Outbound;

namespace Worker.Tools;

/// <summary><c>http-get</c>: fetches a URL (a string, or <c>{"url": ...}</c>) under the outbound allow-list; returns status and the start of the body.</summary>
public sealed class HttpGetTool(IHttpClientFactory httpClientFactory, OutboundGuard guard) : IAgentTool
{
    private const int MaxBodyChars = 512;

    public string Name => AgentTools.HttpGet;

    public async Task<JsonElement> RunAsync(JsonElement? input, CancellationToken cancellationToken)
    {
        var text = input switch
        {
            { ValueKind: JsonValueKind.String } s => s.GetString(),
            { ValueKind: JsonValueKind.Object } o when o.TryGetProperty("url", out var u) => u.GetString(),
            _ => null,
        };
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url))
        {
            throw new ArgumentException("http-get needs an absolute URL.");
        }
        guard.EnsureAllowed(url);
        using var client = httpClientFactory.CreateClient(OutboundHttp.ClientName);
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return JsonSerializer.SerializeToElement(new
        {
            status = (int)response.StatusCode,
            contentType = response.Content.Headers.ContentType?.ToString(),
            body = body.Length <= MaxBodyChars ? body : body[..MaxBodyChars],
        }, JobsJson.Options);
    }
}

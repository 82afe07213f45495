using System.Text.Json;
using Jobs.Contracts;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Api.Infrastructure;

/// <summary>
/// Reads a JSON request body with a size cap and clear errors (415, 413, 400), keeping the raw bytes for the
/// idempotency hash. Minimal API body binding cannot say which of these went wrong.
/// </summary>
internal static class JsonBody
{
    public static async Task<(T? Value, byte[] Raw, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, [], Problems.UnsupportedMediaType());
        }
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }
        if (request.ContentLength > maxBytes)
        {
            return (null, [], TooLarge(maxBytes));
        }

        byte[] raw;
        try
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return (null, [], TooLarge(maxBytes));
                }
                buffer.Write(chunk, 0, read);
            }
            raw = buffer.ToArray();
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, [], TooLarge(maxBytes));
        }

        try
        {
            return JsonSerializer.Deserialize<T>(raw, JobsJson.Options) is { } value
                ? (value, raw, null)
                : (null, raw, Problems.BadRequest("The body must be a JSON object."));
        }
        catch (JsonException ex)
        {
            return (null, raw, Problems.BadRequest($"Malformed JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine}{(ex.Path is { Length: > 1 } path ? $", {path}" : "")}."));
        }
    }

    private static ProblemHttpResult TooLarge(long maxBytes) => Problems.TooLarge($"The body is over the {maxBytes / 1024} KiB this endpoint accepts.");
}

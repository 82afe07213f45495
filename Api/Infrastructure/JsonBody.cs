using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Jobs.Contracts;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Api.Infrastructure;

/// <summary>
/// Reads a JSON request body with a size cap and clear errors (415, 413, 400), into a pooled buffer, and hashes the
/// raw bytes when asked (the idempotency check compares request bodies). Minimal API body binding cannot say which of
/// these went wrong.
/// </summary>
internal static class JsonBody
{
    private const int InitialBuffer = 4 * 1024;

    public static async Task<(T? Value, byte[]? Sha256, ProblemHttpResult? Problem)> ReadAsync<T>(
        HttpRequest request, long maxBytes, bool hash, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, null, Problems.UnsupportedMediaType());
        }
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }
        if (request.ContentLength > maxBytes)
        {
            return (null, null, TooLarge(maxBytes));
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(request.ContentLength ?? InitialBuffer, 1, maxBytes) + 1);
        try
        {
            var length = 0;
            try
            {
                int read;
                while ((read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
                {
                    length += read;
                    if (length > maxBytes)
                    {
                        return (null, null, TooLarge(maxBytes));
                    }
                    if (length == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, maxBytes + 1));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                }
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return (null, null, TooLarge(maxBytes));
            }

            var body = buffer.AsSpan(0, length);
            try
            {
                return JsonSerializer.Deserialize<T>(body, JobsJson.Options) is { } value
                    ? (value, hash ? SHA256.HashData(body) : null, null)
                    : (null, null, Problems.BadRequest("The body must be a JSON object."));
            }
            catch (JsonException ex)
            {
                return (null, null, Problems.BadRequest($"Malformed JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine}{(ex.Path is { Length: > 1 } path ? $", {path}" : "")}."));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static ProblemHttpResult TooLarge(long maxBytes) => Problems.TooLarge($"The body is over the {maxBytes / 1024} KiB this endpoint accepts.");
}

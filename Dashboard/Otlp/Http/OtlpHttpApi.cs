using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Aspire.Dashboard.Configuration;
using Aspire.Dashboard.Otlp.Ingest;
using Google.Protobuf;
using Google.Rpc;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace Aspire.Dashboard.Otlp.Http;

// OTLP/HTTP (https://opentelemetry.io/docs/specs/otlp/#otlphttp): POST protobuf or JSON, answer in kind,
// errors as a google.rpc.Status body.
public static class OtlpHttpApi
{
    private const string ProtobufContentType = "application/x-protobuf";
    private const string JsonContentType = "application/json";

    public static IEndpointConventionBuilder MapOtlpHttpApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1").DisableAntiforgery();
        group.MapPost("/traces", (HttpContext context, TelemetryIngestor ingestor, IOptions<DashboardOptions> options) =>
            HandleAsync<ExportTraceServiceRequest>(context, options.Value.Otlp.MaxRequestBodySize, ingestor.Ingest));
        group.MapPost("/logs", (HttpContext context, TelemetryIngestor ingestor, IOptions<DashboardOptions> options) =>
            HandleAsync<ExportLogsServiceRequest>(context, options.Value.Otlp.MaxRequestBodySize, ingestor.Ingest));
        group.MapPost("/metrics", (HttpContext context, TelemetryIngestor ingestor, IOptions<DashboardOptions> options) =>
            HandleAsync<ExportMetricsServiceRequest>(context, options.Value.Otlp.MaxRequestBodySize, ingestor.Ingest));
        return group;
    }

    private static async Task HandleAsync<TRequest>(HttpContext context, int maxBodySize, Func<TRequest, IMessage> ingest)
        where TRequest : IMessage<TRequest>, new()
    {
        var isJson = IsContentType(context.Request.ContentType, JsonContentType);
        if (!isJson && !IsContentType(context.Request.ContentType, ProtobufContentType))
        {
            await WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, isJson: false,
                Error(3, $"Content-Type must be {ProtobufContentType} or {JsonContentType}."));
            return;
        }

        byte[] body;
        try
        {
            body = await OtlpRequestReader.ReadAsync(context, maxBodySize);
        }
        catch (OtlpRequestTooLargeException)
        {
            await WriteAsync(context, StatusCodes.Status413PayloadTooLarge, isJson,
                Error(8, $"The request body is larger than {maxBodySize} bytes (Dashboard:Otlp:MaxRequestBodySize)."));
            return;
        }
        catch (Exception e) when (e is InvalidDataException or OtlpFormatException)
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, isJson, Error(3, e.Message));
            return;
        }

        TRequest request;
        try
        {
            request = isJson ? OtlpJson.Parse<TRequest>(body) : new MessageParser<TRequest>(() => new TRequest()).ParseFrom(body);
        }
        // Google.Protobuf's JSON parser also reports wrong value types as FormatException or InvalidOperationException.
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or JsonException or OtlpFormatException
            or FormatException or InvalidOperationException or OverflowException or ArgumentException)
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, isJson, Error(3, $"The request body is not a valid {typeof(TRequest).Name}: {e.Message}"));
            return;
        }

        await WriteAsync(context, StatusCodes.Status200OK, isJson, ingest(request));
    }

    private static Status Error(int code, string message) => new() { Code = code, Message = message };

    private static bool IsContentType(string? contentType, string expected) =>
        contentType is not null
        && contentType.AsSpan().Trim().StartsWith(expected, StringComparison.OrdinalIgnoreCase)
        && (contentType.Length == expected.Length || contentType.AsSpan(expected.Length).TrimStart().StartsWith(";"));

    private static async Task WriteAsync(HttpContext context, int statusCode, bool isJson, IMessage message)
    {
        context.Response.StatusCode = statusCode;
        if (isJson)
        {
            context.Response.ContentType = JsonContentType;
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(OtlpJson.Format(message)), context.RequestAborted);
        }
        else
        {
            context.Response.ContentType = ProtobufContentType;
            await context.Response.Body.WriteAsync(message.ToByteArray(), context.RequestAborted);
        }
    }
}

internal sealed class OtlpRequestTooLargeException : Exception;

internal static class OtlpRequestReader
{
    // Reads the body, gunzipping it when the client compressed it, refusing anything over the limit
    // before or after decompression.
    public static async Task<byte[]> ReadAsync(HttpContext context, int maxBodySize)
    {
        if (context.Request.ContentLength > maxBodySize)
        {
            throw new OtlpRequestTooLargeException();
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            // This method enforces the limit itself, with an OTLP-shaped answer.
            sizeFeature.MaxRequestBodySize = null;
        }

        var encoding = context.Request.Headers.ContentEncoding.ToString();
        await using var gzip = encoding switch
        {
            "" or "identity" => null,
            "gzip" => new GZipStream(context.Request.Body, CompressionMode.Decompress, leaveOpen: true),
            _ => throw new OtlpFormatException($"Content-Encoding '{encoding}' is not supported; use gzip or none."),
        };

        var source = gzip ?? context.Request.Body;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await source.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBodySize)
            {
                throw new OtlpRequestTooLargeException();
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}

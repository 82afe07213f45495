using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace Aspire.Dashboard.Otlp.Http;

// OTLP/JSON is protobuf's JSON mapping except that trace and span ids are hex, not base64
// (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding). The ids are rewritten to
// base64 and the rest is left to Google.Protobuf's parser, which already accepts lowerCamelCase
// names, enums as integers and 64-bit integers as strings or numbers.
internal static class OtlpJson
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default);

    public static T Parse<T>(ReadOnlySpan<byte> utf8Json) where T : IMessage<T>, new()
    {
        var node = JsonNode.Parse(utf8Json, documentOptions: new JsonDocumentOptions { MaxDepth = 128 })
            ?? throw new OtlpFormatException("The request body is JSON null.");
        RewriteIds(node);
        return Parser.Parse<T>(node.ToJsonString());
    }

    public static string Format(IMessage message) => Formatter.Format(message);

    private static void RewriteIds(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToArray())
                {
                    if (value is JsonValue id && IsIdField(name) && id.TryGetValue<string>(out var hex))
                    {
                        obj[name] = HexToBase64(hex);
                    }
                    else if (value is not null)
                    {
                        RewriteIds(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        RewriteIds(item);
                    }
                }

                break;
        }
    }

    private static bool IsIdField(string name) =>
        name is "traceId" or "spanId" or "parentSpanId" or "trace_id" or "span_id" or "parent_span_id";

    private static string HexToBase64(string hex)
    {
        try
        {
            return Convert.ToBase64String(Convert.FromHexString(hex));
        }
        catch (FormatException e)
        {
            throw new OtlpFormatException($"'{Shorten(hex)}' is not a hex-encoded id.", e);
        }
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}

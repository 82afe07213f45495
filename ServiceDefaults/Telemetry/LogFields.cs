using System.Collections;
using System.Globalization;
using System.Text;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Turns a log call's state and scopes into redacted fields and re-renders its message from the template with the
/// redacted values, so a secret passed as an argument never reaches the message text either.
/// </summary>
internal static class LogFields
{
    public const string OriginalFormat = "{OriginalFormat}";

    public static string? Collect(object? state, TelemetryRedactor redactor, List<KeyValuePair<string, object?>> fields)
    {
        string? template = null;
        // Log states and scopes are lists (LoggerMessage, FormattedLogValues, ours): index them, no enumerator to allocate.
        if (state is IReadOnlyList<KeyValuePair<string, object?>> list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                Add(list[i], redactor, fields, ref template);
            }
        }
        else if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var pair in pairs)
            {
                Add(pair, redactor, fields, ref template);
            }
        }
        return template;
    }

    private static void Add(KeyValuePair<string, object?> pair, TelemetryRedactor redactor, List<KeyValuePair<string, object?>> fields, ref string? template)
    {
        if (pair.Key == OriginalFormat)
        {
            template = pair.Value as string;
            return;
        }
        fields.Add(new(pair.Key, redactor.RedactValue(pair.Key, pair.Value)));
    }

    public static void CollectScope(object? scope, TelemetryRedactor redactor, List<KeyValuePair<string, object?>> fields)
    {
        if (scope is IReadOnlyList<KeyValuePair<string, object?>> list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                AddScope(list[i], redactor, fields);
            }
        }
        else if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var pair in pairs)
            {
                AddScope(pair, redactor, fields);
            }
        }
    }

    private static void AddScope(KeyValuePair<string, object?> pair, TelemetryRedactor redactor, List<KeyValuePair<string, object?>> fields)
    {
        // Trace ids come with the record itself; the factory's activity-tracking scope only repeats them. The hosting
        // scope's RequestId is the server's connection-based id taken before RequestIdMiddleware replaced it: a second,
        // different "request id" on every line; request_id is the one that is returned to clients.
        if (pair.Key is not (OriginalFormat or "TraceId" or "SpanId" or "ParentId" or "RequestId"))
        {
            fields.Add(new(pair.Key, redactor.RedactValue(pair.Key, pair.Value)));
        }
    }

    /// <summary>Renders <paramref name="template"/> (<c>{Name}</c>, <c>{Name:format}</c>, <c>{{</c>) from already redacted fields.</summary>
    public static string Render(string template, List<KeyValuePair<string, object?>> fields, int fieldCount) =>
        Render(template, fields, fieldCount, new StringBuilder(template.Length + 32)).ToString();

    /// <summary>Appends the rendered message to <paramref name="builder"/>; values are formatted in place, no string per hole.</summary>
    public static StringBuilder Render(string template, List<KeyValuePair<string, object?>> fields, int fieldCount, StringBuilder builder)
    {
        var next = 0;
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if ((c == '{' || c == '}') && i + 1 < template.Length && template[i + 1] == c)
            {
                builder.Append(c);
                i++;
                continue;
            }
            var end = c == '{' ? template.IndexOf('}', i + 1) : -1;
            if (end < 0)
            {
                builder.Append(c);
                continue;
            }
            var hole = template.AsSpan(i + 1, end - i - 1);
            var formatAt = hole.IndexOf(':');
            var format = formatAt >= 0 ? hole[(formatAt + 1)..].ToString() : null;
            var name = formatAt >= 0 ? hole[..formatAt] : hole;
            var alignAt = name.IndexOf(',');
            name = (alignAt >= 0 ? name[..alignAt] : name).TrimStart('@');
            // Holes map to fields by name; by position when a name repeats or differs in case.
            var index = IndexOf(fields, name, fieldCount);
            var value = index >= 0 ? fields[index].Value : next < fieldCount ? fields[next].Value : null;
            next++;
            AppendValue(builder, value, format);
            i = end;
        }
        return builder;
    }

    private static void AppendValue(StringBuilder builder, object? value, string? format)
    {
        switch (value)
        {
            case string text:
                builder.Append(text);
                break;
            case ISpanFormattable formattable:
                // Formats into the builder's own buffer (the handler asks ISpanFormattable), so numbers cost no string.
                var handler = new StringBuilder.AppendInterpolatedStringHandler(0, 1, builder, CultureInfo.InvariantCulture);
                handler.AppendFormatted(formattable, format);
                builder.Append(CultureInfo.InvariantCulture, ref handler);
                break;
            default:
                builder.Append(FormatValue(value, format));
                break;
        }
    }

    public static string FormatValue(object? value, string? format = null) => value switch
    {
        null => "(null)",
        string text => text,
        IFormattable formattable => formattable.ToString(format, CultureInfo.InvariantCulture),
        IEnumerable items => string.Join(", ", items.Cast<object?>().Select(item => FormatValue(item))),
        _ => value.ToString() ?? string.Empty,
    };

    private static int IndexOf(List<KeyValuePair<string, object?>> fields, ReadOnlySpan<char> name, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (name.SequenceEqual(fields[i].Key))
            {
                return i;
            }
        }
        return -1;
    }
}

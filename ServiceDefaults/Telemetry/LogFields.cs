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
        if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var (key, value) in pairs)
            {
                if (key == OriginalFormat)
                {
                    template = value as string;
                    continue;
                }
                fields.Add(new(key, redactor.RedactValue(key, value)));
            }
        }
        return template;
    }

    public static void CollectScope(object? scope, TelemetryRedactor redactor, List<KeyValuePair<string, object?>> fields)
    {
        if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var (key, value) in pairs)
            {
                // Trace ids come with the record itself; the factory's activity-tracking scope only repeats them.
                if (key is not (OriginalFormat or "TraceId" or "SpanId" or "ParentId"))
                {
                    fields.Add(new(key, redactor.RedactValue(key, value)));
                }
            }
        }
    }

    /// <summary>Renders <paramref name="template"/> (<c>{Name}</c>, <c>{Name:format}</c>, <c>{{</c>) from already redacted fields.</summary>
    public static string Render(string template, List<KeyValuePair<string, object?>> fields, int fieldCount)
    {
        var builder = new StringBuilder(template.Length + 32);
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
            var name = (formatAt >= 0 ? hole[..formatAt] : hole).ToString();
            var alignAt = name.IndexOf(',', StringComparison.Ordinal);
            name = (alignAt >= 0 ? name[..alignAt] : name).TrimStart('@');
            // Holes map to fields by name; by position when a name repeats or differs in case.
            var index = IndexOf(fields, name, fieldCount);
            var value = index >= 0 ? fields[index].Value : next < fieldCount ? fields[next].Value : null;
            next++;
            builder.Append(FormatValue(value, format));
            i = end;
        }
        return builder.ToString();
    }

    public static string FormatValue(object? value, string? format = null) => value switch
    {
        null => "(null)",
        string text => text,
        IFormattable formattable => formattable.ToString(format, CultureInfo.InvariantCulture),
        IEnumerable items => string.Join(", ", items.Cast<object?>().Select(item => FormatValue(item))),
        _ => value.ToString() ?? string.Empty,
    };

    private static int IndexOf(List<KeyValuePair<string, object?>> fields, string name, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (fields[i].Key == name)
            {
                return i;
            }
        }
        return -1;
    }
}

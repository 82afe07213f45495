using System.Globalization;

namespace Aspire.Dashboard.ResourceService;

public sealed record ConsoleLine(int LineNumber, DateTime? Timestamp, string Content, bool IsStdErr)
{
    // The resource service prefixes each line with an RFC 3339 timestamp and a space.
    public static ConsoleLine Parse(int lineNumber, string text, bool isStdErr)
    {
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0 && DateTime.TryParse(text.AsSpan(0, space), CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var timestamp)
            && text[0] is >= '0' and <= '9')
        {
            return new ConsoleLine(lineNumber, timestamp, text[(space + 1)..], isStdErr);
        }

        return new ConsoleLine(lineNumber, null, text, isStdErr);
    }
}

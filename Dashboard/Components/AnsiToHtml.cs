using System.Globalization;
using System.Net;
using System.Text;

namespace Aspire.Dashboard.Components;

// Renders console text with ANSI SGR escape sequences (colours, bold, italic, underline) as HTML.
// Everything else is encoded, and other escape sequences are dropped.
public static class AnsiToHtml
{
    private static readonly string[] Palette = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"];

    public static string Convert(string text)
    {
        if (!text.Contains('\u001b', StringComparison.Ordinal))
        {
            return WebUtility.HtmlEncode(text);
        }

        var html = new StringBuilder(text.Length + 64);
        var style = new Style();
        var open = false;
        var i = 0;
        while (i < text.Length)
        {
            var escape = text.IndexOf('\u001b', i);
            var end = escape < 0 ? text.Length : escape;
            if (end > i)
            {
                html.Append(WebUtility.HtmlEncode(text[i..end]));
            }

            if (escape < 0)
            {
                break;
            }

            i = SkipSequence(text, escape, out var sgr);
            if (sgr is null)
            {
                continue;
            }

            style = style.Apply(sgr);
            if (open)
            {
                html.Append("</span>");
                open = false;
            }

            if (!style.IsDefault)
            {
                html.Append(style.ToSpan());
                open = true;
            }
        }

        if (open)
        {
            html.Append("</span>");
        }

        return html.ToString();
    }

    // Returns the index after the sequence; sgr holds its parameters when it is "ESC [ ... m".
    private static int SkipSequence(string text, int escape, out int[]? sgr)
    {
        sgr = null;
        var i = escape + 1;
        if (i >= text.Length || text[i] != '[')
        {
            return Math.Min(i + 1, text.Length);
        }

        var start = ++i;
        while (i < text.Length && text[i] is >= '0' and <= '?')
        {
            i++;
        }

        while (i < text.Length && text[i] is >= ' ' and <= '/')
        {
            i++;
        }

        if (i >= text.Length)
        {
            return text.Length;
        }

        if (text[i] == 'm')
        {
            sgr = [.. text[start..i].Split(';').Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)];
        }

        return i + 1;
    }

    private readonly record struct Style(string? Foreground, string? Background, bool Bold, bool Italic, bool Underline)
    {
        public bool IsDefault => Foreground is null && Background is null && !Bold && !Italic && !Underline;

        public Style Apply(int[] codes)
        {
            var style = this;
            for (var n = 0; n < codes.Length; n++)
            {
                var code = codes[n];
                style = code switch
                {
                    0 => default,
                    1 => style with { Bold = true },
                    3 => style with { Italic = true },
                    4 => style with { Underline = true },
                    22 => style with { Bold = false },
                    23 => style with { Italic = false },
                    24 => style with { Underline = false },
                    >= 30 and <= 37 => style with { Foreground = "ansi-" + Palette[code - 30] },
                    >= 90 and <= 97 => style with { Foreground = "ansi-bright-" + Palette[code - 90] },
                    39 => style with { Foreground = null },
                    >= 40 and <= 47 => style with { Background = "ansi-bg-" + Palette[code - 40] },
                    >= 100 and <= 107 => style with { Background = "ansi-bg-bright-" + Palette[code - 100] },
                    49 => style with { Background = null },
                    38 or 48 => ExtendedColour(style, codes, ref n, code == 38),
                    _ => style,
                };
            }

            return style;
        }

        // 38;5;n (256 colours, shown with the nearest basic colour) or 38;2;r;g;b (true colour, dropped).
        private static Style ExtendedColour(Style style, int[] codes, ref int n, bool foreground)
        {
            if (n + 2 < codes.Length && codes[n + 1] == 5)
            {
                var index = codes[n + 2] % 8;
                n += 2;
                return foreground ? style with { Foreground = "ansi-" + Palette[index] } : style with { Background = "ansi-bg-" + Palette[index] };
            }

            if (n + 4 < codes.Length && codes[n + 1] == 2)
            {
                n += 4;
            }

            return style;
        }

        public string ToSpan()
        {
            var classes = new List<string>();
            if (Foreground is not null)
            {
                classes.Add(Foreground);
            }

            if (Background is not null)
            {
                classes.Add(Background);
            }

            if (Bold)
            {
                classes.Add("ansi-bold");
            }

            if (Italic)
            {
                classes.Add("ansi-italic");
            }

            if (Underline)
            {
                classes.Add("ansi-underline");
            }

            return $"<span class=\"{string.Join(' ', classes)}\">";
        }
    }
}

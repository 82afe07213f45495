using System.Globalization;

namespace Aspire.Dashboard.Components;

internal static class Format
{
    public static string Time(DateTime? time) =>
        time is { } t ? t.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "";

    public static string TimeMs(DateTime time) => time.ToLocalTime().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan duration) => duration.TotalMilliseconds switch
    {
        < 1 => $"{duration.TotalMicroseconds:0}μs",
        < 1000 => $"{duration.TotalMilliseconds:0.##}ms",
        < 60_000 => $"{duration.TotalSeconds:0.##}s",
        _ => $"{duration.TotalMinutes:0.#}min",
    };
}

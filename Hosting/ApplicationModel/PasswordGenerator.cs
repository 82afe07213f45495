using System.Security.Cryptography;

namespace Aspire.Hosting.ApplicationModel;

internal static class PasswordGenerator
{
    internal const string LowerChars = "abcdefghijklmnopqrstuvwxyz";
    internal const string UpperChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    internal const string NumericChars = "0123456789";

    // Safe inside Npgsql and StackExchange.Redis connection strings, URLs and manifest expressions: no ; = , ' " { } or spaces.
    internal const string SpecialChars = "-_.~!*";

    public static string Generate(GenerateParameterDefault options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var classes = new List<(string Chars, int Min)>();
        if (options.Lower) classes.Add((LowerChars, options.MinLower));
        if (options.Upper) classes.Add((UpperChars, options.MinUpper));
        if (options.Numeric) classes.Add((NumericChars, options.MinNumeric));
        if (options.Special) classes.Add((SpecialChars, options.MinSpecial));
        if (classes.Count == 0)
        {
            throw new ArgumentException("At least one character class must be enabled.", nameof(options));
        }

        var length = Math.Max(options.MinLength, classes.Sum(c => c.Min));
        var chars = new List<char>(length);
        foreach (var (set, min) in classes)
        {
            for (var i = 0; i < min; i++)
            {
                chars.Add(set[RandomNumberGenerator.GetInt32(set.Length)]);
            }
        }

        var all = string.Concat(classes.Select(c => c.Chars));
        while (chars.Count < length)
        {
            chars.Add(all[RandomNumberGenerator.GetInt32(all.Length)]);
        }

        var result = chars.ToArray();
        RandomNumberGenerator.Shuffle(result.AsSpan());
        return new string(result);
    }
}

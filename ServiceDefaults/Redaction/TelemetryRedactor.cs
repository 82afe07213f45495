using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Scrubs secrets and personal data from anything that leaves the process: values of sensitive names are masked
/// whole; free text loses bearer/JWT tokens, <c>password=…</c>-style assignments, emails, phone numbers, US SSNs,
/// Luhn-valid card numbers, optionally IP addresses, and any configured secret (API keys, connection-string passwords).
/// </summary>
public sealed partial class TelemetryRedactor
{
    public const string Mask = "[REDACTED]";

    private const int MaxCachedNames = 4096;
    private const int CleanSlots = 256;

    private static readonly string[] DefaultSensitiveNames =
    [
        "authorization", "apikey", "cookie", "password", "passwd", "secret", "token", "connectionstring", "credential",
    ];

    // What the patterns need, spelled as the patterns spell it: a bare "key" would send every SQL statement naming an
    // idempotency_key column through the regex, on every traced query.
    private static readonly SearchValues<string> Keywords = SearchValues.Create(
        ["pass", "pwd", "secret", "token", "apikey", "api-key", "api_key", "accesskey", "access-key", "access_key", "auth",
         "cookie", "connection", "bearer", "basic", "eyj"],
        StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<char> IpSeparators = SearchValues.Create(".:");

    // Names are few (template holes, attribute keys) and asked about on every value: remember the answers.
    private readonly ConcurrentDictionary<string, bool> _nameCache = new(StringComparer.Ordinal);

    // Telemetry hands over the same string instances again and again (SQL text, route templates, attribute names, most
    // of them literals). Strings are immutable and the secrets are fixed at start-up, so an instance found clean once
    // stays clean: remember recent ones by reference (slot by identity hash; a collision only costs a rescan).
    private readonly string?[] _cleanValues = new string?[CleanSlots];
    private readonly string?[] _plainNames = new string?[CleanSlots];
    private readonly string[] _sensitiveNames;
    private readonly string[] _knownSecrets;
    private readonly bool _maskIpAddresses;

    public TelemetryRedactor(IOptions<RedactionOptions> options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        _maskIpAddresses = options.Value.MaskIpAddresses;
        _sensitiveNames = [.. DefaultSensitiveNames, .. options.Value.SensitiveNames.Select(Normalize)];
        _knownSecrets = [.. KnownSecrets(configuration).Where(s => s.Length >= 6).Distinct().OrderByDescending(s => s.Length)];
    }

    /// <summary>True when values under <paramref name="name"/> are secrets whatever they look like (e.g. <c>Authorization</c>).</summary>
    public bool IsSensitiveName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        ref var plain = ref _plainNames[Slot(name)];
        if (ReferenceEquals(Volatile.Read(ref plain), name))
        {
            return false;
        }
        if (!_nameCache.TryGetValue(name, out var sensitive))
        {
            sensitive = MatchesSensitiveName(name);
            if (_nameCache.Count < MaxCachedNames)
            {
                _nameCache.TryAdd(name, sensitive);
            }
        }
        if (!sensitive)
        {
            Volatile.Write(ref plain, name);
        }
        return sensitive;
    }

    private bool MatchesSensitiveName(string name)
    {
        var normalized = Normalize(name);
        foreach (var sensitive in _sensitiveNames)
        {
            if (normalized.Contains(sensitive, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Returns <paramref name="text"/> itself when nothing needed masking, so the common case allocates nothing.</summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        ref var clean = ref _cleanValues[Slot(text)];
        if (ReferenceEquals(Volatile.Read(ref clean), text))
        {
            return text;
        }
        if (!MayNeedRedaction(text))
        {
            Volatile.Write(ref clean, text);
            return text;
        }
        foreach (var secret in _knownSecrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }
        var original = text;
        if (MayHoldPattern(text))
        {
            text = Patterns().Replace(text, static match => Replacement(match));
        }
        if (_maskIpAddresses && text.AsSpan().ContainsAny(IpSeparators))
        {
            text = IpAddresses().Replace(text, "[IP]");
        }
        // A match left as is (a number failing Luhn) still yields a copy; hand back the original so callers can
        // tell "unchanged" by reference.
        return string.Equals(text, original, StringComparison.Ordinal) ? original : text;
    }

    private static int Slot(string instance) => RuntimeHelpers.GetHashCode(instance) & (CleanSlots - 1);

    /// <summary>
    /// False when <see cref="Redact"/> would certainly return <paramref name="text"/> unchanged: no configured secret in
    /// it and nothing any pattern needs. Lets a caller holding text in a buffer skip making a string of it.
    /// </summary>
    public bool MayNeedRedaction(ReadOnlySpan<char> text)
    {
        if (text.Length < 6)
        {
            return false;
        }
        foreach (var secret in _knownSecrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return MayHoldPattern(text) || (_maskIpAddresses && text.ContainsAny(IpSeparators));
    }

    /// <summary>
    /// A vectorized look for what every pattern needs (an '@', a keyword, a run of 9+ digits), so the regex runs only
    /// on the rare strings that can match: most telemetry values are paths, names, ids and numbers.
    /// </summary>
    private static bool MayHoldPattern(ReadOnlySpan<char> span)
    {
        if (span.Contains('@') || span.ContainsAny(Keywords))
        {
            return true;
        }
        // Phone, SSN and card numbers are 8+ ("+" and 8 digits) or 9+ digits broken only by separators, and each of
        // their patterns begins and ends at a word boundary: a run that starts right after a letter, or runs into one
        // (hex request, trace and span ids; UUIDs in paths), can never match, so only a run that reaches a boundary
        // counts.
        int digits = 0, needed = 9;
        var previous = '\0';
        var afterWordChar = false;
        for (var i = 0; i < span.Length; i++)
        {
            if (digits == 0)
            {
                // Outside a run nothing counts until the next digit: jump (vectorized) to the character just before
                // it, which alone decides whether the run starts at a boundary. Long digit-free values (SQL, paths,
                // messages) are skipped instead of walked.
                var next = span[i..].IndexOfAnyInRange('0', '9');
                if (next < 0)
                {
                    return false;
                }
                i += Math.Max(next - 1, 0);
            }
            var c = span[i];
            if (char.IsAsciiDigit(c))
            {
                if (digits > 0 || !afterWordChar)
                {
                    needed = digits == 0 && previous == '+' ? 8 : needed;
                    digits++;
                }
                afterWordChar = true;
            }
            else if (c == '_' || char.IsLetter(c))
            {
                digits = 0;
                needed = 9;
                afterWordChar = true;
            }
            else
            {
                if (digits >= needed)
                {
                    return true;
                }
                if (!(c is '-' or '.' or '(' or ')' or '+' || char.IsWhiteSpace(c)))
                {
                    digits = 0;
                    needed = 9;
                }
                afterWordChar = false;
            }
            previous = c;
        }
        return digits >= needed;
    }

    /// <summary>The value to export under <paramref name="name"/>: masked whole, scrubbed, or unchanged.</summary>
    public object? RedactValue(string name, object? value) => value switch
    {
        null => null,
        _ when IsSensitiveName(name) => Mask,
        string text => Redact(text),
        bool or int or short or byte or double or float or DateTime or DateTimeOffset or TimeSpan or Guid => value,
        IFormattable formattable => RedactIfChanged(value, formattable.ToString(null, CultureInfo.InvariantCulture)),
        _ => Redact(value.ToString() ?? string.Empty),
    };

    private object RedactIfChanged(object value, string text)
    {
        var redacted = Redact(text);
        return ReferenceEquals(redacted, text) ? value : redacted;
    }

    private static string Replacement(Match match)
    {
        if (match.Groups["card"].Success)
        {
            return IsLuhnValid(match.Value) ? "[CARD]" : match.Value;
        }
        if (match.Groups["email"].Success)
        {
            return "[EMAIL]";
        }
        if (match.Groups["ssn"].Success)
        {
            return "[SSN]";
        }
        return match.Groups["phone"].Success ? "[PHONE]" : Mask;
    }

    private static bool IsLuhnValid(string candidate)
    {
        int sum = 0, digits = 0;
        for (var i = candidate.Length - 1; i >= 0; i--)
        {
            var c = candidate[i];
            if (!char.IsAsciiDigit(c))
            {
                continue;
            }
            var d = c - '0';
            if (digits++ % 2 == 1)
            {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
        }
        return digits is >= 13 and <= 19 && sum % 10 == 0;
    }

    private static string Normalize(string name) =>
        string.Concat(name.Where(char.IsAsciiLetterOrDigit)).ToLowerInvariant();

    private static IEnumerable<string> KnownSecrets(IConfiguration configuration)
    {
        foreach (var key in configuration.GetSection("Auth:ApiKeys").GetChildren())
        {
            if (!string.IsNullOrEmpty(key.Value))
            {
                yield return key.Value;
            }
        }
        foreach (var connectionString in configuration.GetSection("ConnectionStrings").GetChildren())
        {
            foreach (Match match in ConnectionStringPassword().Matches(connectionString.Value ?? string.Empty))
            {
                yield return match.Groups["value"].Value;
            }
        }
    }

    // Order matters: tokens and assignments first (they can contain digits and '@'), then the PII shapes.
    [GeneratedRegex("""
        (?<jwt>\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*)
        |(?<=\b(?:Bearer|Basic)\s+)(?<bearer>[A-Za-z0-9\-._~+/]{6,}=*)
        |(?<=\b(?:Proxy-Authorization|Authorization|Set-Cookie|Cookie|X-API-Key)["']?\s*[:=]\s*["']?)(?<header>[^\s"'][^\r\n"']*)
        |(?<=\b(?:password|passwd|pwd|secret|token|api[-_]?key|access[-_]?key|client[-_]?secret|connection[-_]?string)["']?\s*[:=]\s*["']?)(?<assignment>[^\s"',;&]+)
        |(?<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})
        |(?<ssn>\b\d{3}-\d{2}-\d{4}\b)
        |(?<card>\b\d(?:[ -]?\d){12,18}\b)
        |(?<phone>(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{3}\)\s?|\d{3}[ .-])\d{3}[ .-]\d{4}\b|(?<![\w+])\+\d{8,15}\b)
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Patterns();

    [GeneratedRegex("""
        \b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b
        |(?<![\w:])(?:[0-9A-F]{1,4}:){7}[0-9A-F]{1,4}(?![\w:])
        |(?<![\w:])(?:[0-9A-F]{1,4}(?::[0-9A-F]{1,4}){0,6})?::(?:[0-9A-F]{1,4}(?::[0-9A-F]{1,4}){0,6})?(?![\w:])
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IpAddresses();

    [GeneratedRegex("""(?:^|[;,])\s*(?:password|pwd)\s*=\s*(?<value>[^;,]+)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex ConnectionStringPassword();
}

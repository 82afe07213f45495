using System.Text.RegularExpressions;

namespace Aspire.Hosting.ApplicationModel;

// Aspire's rule: names become DNS labels, environment variable parts and process names.
internal static partial class ResourceNameValidator
{
    [GeneratedRegex("^[a-zA-Z](?:[a-zA-Z0-9]|-(?!-)){0,63}$")]
    private static partial Regex ValidName();

    public static void ThrowIfInvalid(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!ValidName().IsMatch(name) || name.EndsWith('-'))
        {
            throw new ArgumentException(
                $"Resource name '{name}' is invalid: use 1-64 ASCII letters, digits and single hyphens, starting with a letter and not ending with a hyphen.",
                nameof(name));
        }
    }
}

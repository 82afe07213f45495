using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aspire.Hosting;

/// <summary>The parts of a project's <c>Properties/launchSettings.json</c> profile that Aspire applies.</summary>
internal sealed record LaunchProfile(string Name, IReadOnlyList<Uri> ApplicationUrls, IReadOnlyDictionary<string, string> EnvironmentVariables)
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>The named profile, else the first with <c>commandName: Project</c>; null when the project has none.</summary>
    public static LaunchProfile? Load(string projectPath, string? profileName = null)
    {
        var file = Path.Combine(Path.GetDirectoryName(projectPath)!, "Properties", "launchSettings.json");
        if (!File.Exists(file))
        {
            return null;
        }

        LaunchSettingsFile? settings;
        try
        {
            settings = JsonSerializer.Deserialize<LaunchSettingsFile>(File.ReadAllText(file), Options);
        }
        catch (JsonException ex)
        {
            throw new DistributedApplicationException($"The launch settings '{file}' are not valid JSON: {ex.Message}", ex);
        }

        var profiles = settings?.Profiles ?? [];
        var (name, profile) = profileName is not null
            ? profiles.FirstOrDefault(p => p.Key == profileName)
            : profiles.FirstOrDefault(p => string.Equals(p.Value.CommandName, "Project", StringComparison.OrdinalIgnoreCase));
        if (profile is null)
        {
            return profileName is null ? null : throw new DistributedApplicationException($"Launch profile '{profileName}' is not in '{file}'.");
        }

        var urls = (profile.ApplicationUrl ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) ? uri : throw new DistributedApplicationException($"Launch profile '{name}' in '{file}' has an invalid applicationUrl '{u}'."))
            .ToList();
        return new LaunchProfile(name, urls, profile.EnvironmentVariables ?? []);
    }

    private sealed record LaunchSettingsFile(Dictionary<string, LaunchSettingsProfile>? Profiles);

    private sealed record LaunchSettingsProfile(
        string? CommandName,
        string? ApplicationUrl,
        [property: JsonPropertyName("environmentVariables")] Dictionary<string, string>? EnvironmentVariables);
}

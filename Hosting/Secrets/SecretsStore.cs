using System.Text.Json;
using System.Text.Json.Nodes;

namespace Aspire.Hosting.Secrets;

/// <summary>
/// Reads and writes flat <c>"Section:Key": "value"</c> entries in a user-secrets style JSON file, so generated
/// passwords survive AppHost restarts without ever touching the repository.
/// </summary>
internal sealed class SecretsStore(string path)
{
    private static readonly JsonSerializerOptions WriteOptions = new() { WriteIndented = true };
    private readonly Lock _lock = new();

    public string Path { get; } = path;

    public string? Get(string key)
    {
        lock (_lock)
        {
            return Find(Load(), key);
        }
    }

    public string GetOrCreate(string key, Func<string> create)
    {
        lock (_lock)
        {
            var root = Load();
            if (Find(root, key) is { } existing)
            {
                return existing;
            }

            var value = create();
            root[key] = value;
            Save(root);
            return value;
        }
    }

    private JsonObject Load()
    {
        if (!File.Exists(Path))
        {
            return [];
        }

        var text = File.ReadAllText(Path);
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw new DistributedApplicationException($"The secrets file '{Path}' does not hold a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new DistributedApplicationException($"The secrets file '{Path}' is not valid JSON ({ex.Message}). Fix or delete it.", ex);
        }
    }

    // Accepts both the flat form the user-secrets tool writes and nested objects a person may have typed.
    private static string? Find(JsonObject root, string key)
    {
        if (root.TryGetPropertyValue(key, out var flat) && flat is JsonValue flatValue)
        {
            return flatValue.ToString();
        }

        JsonNode? node = root;
        foreach (var part in key.Split(':'))
        {
            node = node is JsonObject obj && obj.TryGetPropertyValue(part, out var child) ? child : null;
        }

        return node is JsonValue value ? value.ToString() : null;
    }

    private void Save(JsonObject root)
    {
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(directory);
        var temp = Path + ".tmp";
        File.WriteAllText(temp, root.ToJsonString(WriteOptions));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temp, Path, overwrite: true);
    }
}

using System.Text.Json;
using System.Text.RegularExpressions;

namespace Registry;

/// <summary>OCI image layouts on disk (image-spec "image-layout"), one directory per repository under the root.</summary>
public sealed partial class LayoutStore(string root)
{
    private readonly string _root = Path.GetFullPath(root);

    public sealed record Descriptor(string MediaType, string Digest, long Size);

    /// <summary>A manifest by tag (the index's <c>org.opencontainers.image.ref.name</c>) or by digest.</summary>
    public Descriptor? FindManifest(string repository, string reference)
    {
        var index = Path.Combine(RepositoryPath(repository), "index.json");
        if (!File.Exists(index))
        {
            return null;
        }
        using var document = JsonDocument.Parse(File.ReadAllText(index));
        foreach (var manifest in document.RootElement.GetProperty("manifests").EnumerateArray())
        {
            var digest = manifest.GetProperty("digest").GetString()!;
            var tag = manifest.TryGetProperty("annotations", out var annotations)
                && annotations.TryGetProperty("org.opencontainers.image.ref.name", out var name) ? name.GetString() : null;
            if (reference == digest || reference == tag)
            {
                return new Descriptor(manifest.GetProperty("mediaType").GetString()!, digest, manifest.GetProperty("size").GetInt64());
            }
        }
        return null;
    }

    /// <summary>The file holding a blob, or null when the repository or blob does not exist.</summary>
    public string? FindBlob(string repository, string digest)
    {
        var file = Path.Combine(RepositoryPath(repository), "blobs", "sha256", digest["sha256:".Length..]);
        return File.Exists(file) ? file : null;
    }

    public static bool IsRepositoryName(string name) => RepositoryNamePattern().IsMatch(name);

    public static bool IsDigest(string value) => DigestPattern().IsMatch(value);

    // Names and digests are validated before they reach the file system, so neither can walk out of the root.
    private string RepositoryPath(string repository) =>
        IsRepositoryName(repository) ? Path.Combine(_root, repository) : throw new ArgumentException($"Invalid repository name '{repository}'.");

    [GeneratedRegex("^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex RepositoryNamePattern();

    [GeneratedRegex("^sha256:[a-f0-9]{64}$")]
    private static partial Regex DigestPattern();
}

using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;

namespace Deploy.Tests.Images;

/// <summary>An image archive as the SDK writes it (an OCI image layout in a tar), opened into a directory.</summary>
public sealed class OciImage
{
    private readonly string _layout;

    private OciImage(string layout, JsonElement index, JsonElement manifest, JsonElement config)
    {
        _layout = layout;
        Tags = [.. index.GetProperty("manifests").EnumerateArray()
            .Select(m => m.GetProperty("annotations").GetProperty("org.opencontainers.image.ref.name").GetString()!)];
        Config = config;
        Layers = [.. manifest.GetProperty("layers").EnumerateArray().Select(l => Blob(l.GetProperty("digest").GetString()!))];
    }

    public IReadOnlyList<string> Tags { get; }

    /// <summary>The image configuration (<c>architecture</c>, <c>os</c>, <c>config</c>, <c>rootfs</c> ...).</summary>
    public JsonElement Config { get; }

    /// <summary>Layer blobs (tar+gzip), base first.</summary>
    public IReadOnlyList<string> Layers { get; }

    public JsonElement ContainerConfig => Config.GetProperty("config");

    public string RunAs => ContainerConfig.GetProperty("User").GetString()!;

    public string WorkingDirectory => ContainerConfig.GetProperty("WorkingDir").GetString()!;

    public IReadOnlyList<string> Command => [.. ContainerConfig.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()!)];

    public IReadOnlyList<string> Ports => [.. ContainerConfig.GetProperty("ExposedPorts").EnumerateObject().Select(p => p.Name)];

    public IReadOnlyDictionary<string, string> Environment => ContainerConfig.GetProperty("Env").EnumerateArray()
        .Select(e => e.GetString()!.Split('=', 2))
        .ToDictionary(kv => kv[0], kv => kv[1]);

    public static OciImage Open(string archive, string directory)
    {
        Directory.CreateDirectory(directory);
        TarFile.ExtractToDirectory(archive, directory, overwriteFiles: true);
        var index = ReadJson(Path.Combine(directory, "index.json"));
        var manifestDigest = index.GetProperty("manifests")[0].GetProperty("digest").GetString()!;
        var manifest = ReadJson(BlobPath(directory, manifestDigest));
        var config = ReadJson(BlobPath(directory, manifest.GetProperty("config").GetProperty("digest").GetString()!));
        return new OciImage(directory, index, manifest, config);
    }

    /// <summary>The entries of one layer: path (without a leading ./), owner and mode.</summary>
    public IEnumerable<(string Path, int Uid, UnixFileMode Mode, TarEntryType Type)> Entries(int layer)
    {
        using var file = File.OpenRead(Layers[layer]);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        while (reader.GetNextEntry() is { } entry)
        {
            yield return (entry.Name.TrimStart('.').Trim('/'), entry.Uid, entry.Mode, entry.EntryType);
        }
    }

    private string Blob(string digest) => BlobPath(_layout, digest);

    private static string BlobPath(string layout, string digest) => Path.Combine(layout, "blobs", "sha256", digest["sha256:".Length..]);

    private static JsonElement ReadJson(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }
}

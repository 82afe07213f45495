using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Aspire.Hosting.Publishing;

/// <summary>Writes plain dictionaries and lists as YAML documents (block style, keys in insertion order).</summary>
internal static class YamlDocuments
{
    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithDefaultScalarStyle(ScalarStyle.Any)
        .WithQuotingNecessaryStrings()
        .DisableAliases()
        .Build();

    public static string Write(IEnumerable<object> documents) =>
        string.Join("---\n", documents.Select(Serializer.Serialize));

    /// <summary>A mapping that keeps the order keys were added in.</summary>
    public static Dictionary<string, object?> Map(params (string Key, object? Value)[] entries)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            if (value is not null)
            {
                map[key] = value;
            }
        }

        return map;
    }
}

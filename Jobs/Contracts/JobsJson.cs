using System.Text.Json;

namespace Jobs.Contracts;

/// <summary>The JSON settings for job inputs and results (web defaults: camelCase, case-insensitive).</summary>
public static class JobsJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}

using System.Text.Json;
using System.Text.RegularExpressions;
using Hosting.Tests.Infrastructure;
using NJsonSchema;

namespace Hosting.Tests.Publishing;

public sealed partial class ManifestPublisherTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private JsonElement _resources;
    private string _text = "";

    public async Task InitializeAsync()
    {
        var output = await PublishedApp.PublishAsync(_data, "manifest");
        _text = await File.ReadAllTextAsync(Path.Combine(output, "aspire-manifest.json"));
        _resources = JsonDocument.Parse(_text).RootElement.GetProperty("resources");
    }

    public Task DisposeAsync()
    {
        _data.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_manifest_is_valid_against_the_manifest_schema()
    {
        var schema = await JsonSchema.FromFileAsync(Path.Combine(AppContext.BaseDirectory, "Publishing", "aspire-manifest.schema.json"));
        var errors = schema.Validate(_text);
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors.Select(e => $"{e.Path}: {e.Kind}")));
    }

    [Fact]
    public async Task An_output_path_naming_a_json_file_is_the_manifest_itself_as_azd_passes_it()
    {
        using var data = new TempDirectory();
        var file = Path.Combine(data.Path, "azd", "apphost-manifest.json");

        await PublishedApp.PublishToAsync(data, "manifest", file);

        Assert.True(File.Exists(file), $"{file} was not written");
        Assert.Equal(["apphost-manifest.json"], Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(file)!).Select(Path.GetFileName));
        var api = JsonDocument.Parse(await File.ReadAllTextAsync(file)).RootElement.GetProperty("resources").GetProperty("api");
        var project = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, api.GetProperty("path").GetString()!));
        Assert.True(File.Exists(project), $"the project path must be relative to the manifest's directory: {project}");
        Assert.EndsWith("Api/Api.csproj", project, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_expression_refers_to_a_resource_in_the_manifest()
    {
        var names = _resources.EnumerateObject().Select(r => r.Name).ToHashSet();
        var referenced = ReferencePattern().Matches(_text).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.NotEmpty(referenced);
        Assert.Empty(referenced.Except(names));
    }

    [Fact]
    public void Servers_are_containers_with_connection_string_expressions()
    {
        var postgres = _resources.GetProperty("postgres");
        Assert.Equal("container.v0", postgres.GetProperty("type").GetString());
        Assert.Equal("Host={postgres.bindings.tcp.host};Port={postgres.bindings.tcp.port};Username=postgres;Password={postgres-password.value}",
            postgres.GetProperty("connectionString").GetString());
        Assert.Equal(5432, postgres.GetProperty("bindings").GetProperty("tcp").GetProperty("targetPort").GetInt32());
        Assert.Equal("/var/lib/postgresql/data", postgres.GetProperty("volumes")[0].GetProperty("target").GetString());

        var cache = _resources.GetProperty("cache");
        Assert.Equal("container.v0", cache.GetProperty("type").GetString());
        Assert.Equal("{cache.bindings.tcp.host}:{cache.bindings.tcp.port},password={cache-password.value}", cache.GetProperty("connectionString").GetString());

        var database = _resources.GetProperty("jobsdb");
        Assert.Equal("value.v0", database.GetProperty("type").GetString());
        Assert.Equal("{postgres.connectionString};Database=jobsdb", database.GetProperty("connectionString").GetString());
    }

    [Fact]
    public void Projects_reference_connection_strings_parameters_and_bindings()
    {
        var api = _resources.GetProperty("api");
        Assert.Equal("project.v0", api.GetProperty("type").GetString());
        Assert.EndsWith("Api/Api.csproj", api.GetProperty("path").GetString(), StringComparison.Ordinal);
        var env = api.GetProperty("env");
        Assert.Equal("{jobsdb.connectionString}", env.GetProperty("ConnectionStrings__jobsdb").GetString());
        Assert.Equal("{cache.connectionString}", env.GetProperty("ConnectionStrings__cache").GetString());
        Assert.Equal("{api-key.value}", env.GetProperty("Auth__ApiKeys__0").GetString());
        Assert.Equal("{api.bindings.http.targetPort}", env.GetProperty("HTTP_PORTS").GetString());
        Assert.False(env.TryGetProperty("OTEL_EXPORTER_OTLP_ENDPOINT", out _), "the local dashboard's endpoint must not leak into a deployment");
        Assert.True(api.GetProperty("bindings").GetProperty("http").GetProperty("external").GetBoolean());
        Assert.False(_resources.GetProperty("worker").GetProperty("bindings").GetProperty("http").TryGetProperty("external", out _));
        Assert.False(_resources.TryGetProperty("aspire-dashboard", out _));
    }

    [Fact]
    public void Secrets_are_parameters_the_deployment_tool_generates()
    {
        foreach (var name in new[] { "api-key", "postgres-password", "cache-password" })
        {
            var parameter = _resources.GetProperty(name);
            Assert.Equal("parameter.v0", parameter.GetProperty("type").GetString());
            Assert.Equal($"{{{name}.inputs.value}}", parameter.GetProperty("value").GetString());
            var input = parameter.GetProperty("inputs").GetProperty("value");
            Assert.True(input.GetProperty("secret").GetBoolean());
            Assert.True(input.GetProperty("default").GetProperty("generate").GetProperty("minLength").GetInt32() >= 22);
        }

        Assert.False(_resources.GetProperty("cache-password").GetProperty("inputs").GetProperty("value").GetProperty("default").GetProperty("generate").GetProperty("special").GetBoolean());
        Assert.DoesNotContain(PublishedApp.ApiKey, _text, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\{([a-zA-Z][a-zA-Z0-9-]*)\.")]
    private static partial Regex ReferencePattern();
}

using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Hosting.Tests.Infrastructure;

namespace Hosting.Tests;

public sealed class ParameterTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public void A_missing_secret_parameter_is_generated_once_and_kept_in_the_secrets_file()
    {
        var first = BuildWithSecret(out var firstBuilder);
        var saved = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(_data.SecretsFile))!;
        var second = BuildWithSecret(out _);

        Assert.True(first.Length >= 22);
        Assert.Equal(first, saved["Parameters:api-key"]);
        Assert.Equal(first, second);
        Assert.DoesNotContain(_data.SecretsFile, firstBuilder.AppHostDirectory, StringComparison.Ordinal);
    }

    [Fact]
    public void Configuration_wins_over_generated_values()
    {
        var builder = TestApps.CreateBuilder(_data, "--Parameters:api-key=from-config");
        var key = builder.AddParameter("api-key", secret: true);
        using var app = builder.Build();

        Assert.Equal("from-config", key.Resource.Value);
        Assert.False(File.Exists(_data.SecretsFile));
    }

    [Fact]
    public void A_plain_parameter_without_a_value_stops_the_build_with_instructions()
    {
        var builder = TestApps.CreateBuilder(_data);
        builder.AddParameter("region");

        var error = Assert.Throws<MissingParameterValueException>(() => builder.Build());
        Assert.Contains("Parameter 'region' has no value", error.Message, StringComparison.Ordinal);
        Assert.Contains("Parameters__region", error.Message, StringComparison.Ordinal);
        Assert.Contains("dotnet user-secrets set \"Parameters:region\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_parameter_with_a_default_uses_it_unless_configured()
    {
        var builder = TestApps.CreateBuilder(_data, "--Parameters:b=override");
        var a = builder.AddParameter("a", "default-a");
        var b = builder.AddParameter("b", "default-b");
        using var app = builder.Build();

        Assert.Equal("default-a", a.Resource.Value);
        Assert.Equal("override", b.Resource.Value);
    }

    private string BuildWithSecret(out IDistributedApplicationBuilder builder)
    {
        builder = TestApps.CreateBuilder(_data);
        var key = builder.AddParameter("api-key", secret: true);
        using var app = builder.Build();
        return key.Resource.Value;
    }
}

using Aspire.Hosting.Publishing;
using Aspire.Hosting.Testing;
using Hosting.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hosting.Tests.Publishing;

/// <summary>Publishes the repository's AppHost model in-process, as `dotnet run --project AppHost -- --publisher X` does.</summary>
public static class PublishedApp
{
    public const string ApiKey = "published-api-key-0123456789";

    public static Task<string> PublishAsync(TempDirectory data, string publisher, params string[] args) =>
        PublishToAsync(data, publisher, Path.Combine(data.Path, publisher), args);

    public static async Task<string> PublishToAsync(TempDirectory data, string publisher, string output, params string[] args)
    {
        var ct = TestApps.Timeout();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            ["--publisher", publisher, "--output-path", output, $"--Parameters:api-key={ApiKey}", $"--Hosting:DataDirectory={data.Path}", $"--Hosting:SecretsFile={data.SecretsFile}", .. args], ct);
        await using var app = await builder.BuildAsync(ct);
        await app.Services.GetRequiredService<PublisherRunner>().PublishAsync(ct);
        return output;
    }
}

using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Publishing;
using Hosting.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hosting.Tests.Publishing;

/// <summary>`dotnet run --project AppHost -- --publisher …` refuses bad input with one message, exit code 1, and nothing written.</summary>
public sealed class PublishingBadInputTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task An_unknown_publisher_lists_the_available_ones()
    {
        var (exitCode, error) = await RunAppHostAsync("--publisher", "helm", "--output-path", Path.Combine(_data.Path, "out"));
        Assert.Equal(1, exitCode);
        Assert.Equal("error: Unknown publisher 'helm'. Available publishers: manifest, kubernetes, compose.", error.Trim());
        Assert.False(Directory.Exists(Path.Combine(_data.Path, "out")));
    }

    [Fact]
    public async Task An_output_path_that_is_a_file_is_refused()
    {
        var file = Path.Combine(_data.Path, "taken");
        await File.WriteAllTextAsync(file, "keep me");
        var (exitCode, error) = await RunAppHostAsync("--publisher", "manifest", "--output-path", file);
        Assert.Equal(1, exitCode);
        Assert.Contains($"The output path '{file}' is a file", error, StringComparison.Ordinal);
        Assert.Equal("keep me", await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task A_parameter_without_value_or_generator_stops_publishing_before_anything_is_written()
    {
        var output = Path.Combine(_data.Path, "out");
        var builder = TestApps.CreateBuilder(_data, "--publisher", "compose", "--output-path", output);
        var region = builder.AddParameter("region");
        builder.AddExecutable("app", "sleep", ".", "10").WithEnvironment("REGION", region);
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<MissingParameterValueException>(
            () => app.Services.GetRequiredService<PublisherRunner>().PublishAsync(TestApps.Timeout()));
        Assert.Contains("Parameter 'region' has no value", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
        Assert.Empty(Directory.GetDirectories(_data.Path, ".out.publishing-*"));
    }

    [Fact]
    public async Task A_publisher_that_fails_midway_leaves_nothing_half_written()
    {
        var output = Path.Combine(_data.Path, "out");
        var builder = TestApps.CreateBuilder(_data, "--publisher", "kubernetes", "--output-path", output);
        builder.AddRedis("cache");
        builder.AddExecutable("tool", "sleep", ".", "10");
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<DistributedApplicationException>(
            () => app.Services.GetRequiredService<PublisherRunner>().PublishAsync(TestApps.Timeout()));
        Assert.Contains("Resource 'tool' (ExecutableResource) cannot be deployed to Kubernetes", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
        Assert.Empty(Directory.GetDirectories(_data.Path, ".out.publishing-*"));
    }

    private async Task<(int ExitCode, string Error)> RunAppHostAsync(params string[] args)
    {
        var appHost = new Projects.AppHost();
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(appHost.ProjectPath)!,
        };
        foreach (var arg in new[] { appHost.TargetPath, $"--Hosting:DataDirectory={_data.Path}", $"--Hosting:SecretsFile={_data.SecretsFile}" }.Concat(args))
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.DoesNotContain("   at ", error + await stdout, StringComparison.Ordinal);
        return (process.ExitCode, error);
    }
}

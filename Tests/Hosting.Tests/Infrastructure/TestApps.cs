using Aspire.Hosting;

namespace Hosting.Tests.Infrastructure;

/// <summary>Builders for models written inside a test (not the AppHost project): random ports, isolated data.</summary>
public static class TestApps
{
    public static IDistributedApplicationBuilder CreateBuilder(TempDirectory data, params string[] args) =>
        DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Assembly = typeof(TestApps).Assembly,
            EnvironmentName = "Development",
            Args =
            [
                "--Hosting:RandomizePorts=true",
                "--Hosting:ConsoleOutput=false",
                "--Hosting:ShutdownTimeout=00:00:10",
                $"--Hosting:DataDirectory={data.Path}",
                $"--Hosting:SecretsFile={data.SecretsFile}",
                .. args,
            ],
        });

    /// <summary>Generous: the machine has two cores and several test projects start servers at once.</summary>
    public static CancellationToken Timeout(int seconds = 120) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;
}

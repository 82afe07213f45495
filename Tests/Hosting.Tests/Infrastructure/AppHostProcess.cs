using System.Diagnostics;

namespace Hosting.Tests.Infrastructure;

/// <summary>The built AppHost started as its own process (`dotnet AppHost.dll`), with isolated data.</summary>
public static class AppHostProcess
{
    public static Process Start(TempDirectory data, params string[] args)
    {
        var appHost = new Projects.AppHost();
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(appHost.ProjectPath)!,
        };
        foreach (var arg in new[] { appHost.TargetPath, $"--Hosting:DataDirectory={data.Path}", $"--Hosting:SecretsFile={data.SecretsFile}" }.Concat(args))
        {
            startInfo.ArgumentList.Add(arg);
        }

        startInfo.Environment["DOTNET_ENVIRONMENT"] = "Development";
        return Process.Start(startInfo)!;
    }

    /// <summary>Runs the AppHost to completion; returns its exit code, standard output and standard error.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(TempDirectory data, CancellationToken cancellationToken, params string[] args)
    {
        using var process = Start(data, args);
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output, error);
    }
}

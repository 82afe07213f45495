using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Hosting;

namespace Aspire.Hosting.Orchestration;

/// <summary>Computes the environment variables and arguments an instance starts with, resolving every value provider.</summary>
internal sealed class InstanceEnvironment(IServiceProvider services, DistributedApplicationExecutionContext executionContext, IHostEnvironment hostEnvironment)
{
    public async Task<Dictionary<string, string>> ResolveEnvironmentAsync(ResourceInstance instance, CancellationToken cancellationToken)
    {
        var context = new EnvironmentCallbackContext(executionContext, instance.Resource)
        {
            InstanceName = instance.Name,
            InstanceEndpoints = instance.Endpoints,
            CancellationToken = cancellationToken,
            Services = services,
        };

        // Conventions first, so the model can override them (the dashboard narrows ASPNETCORE_URLS, for one).
        if (instance.Resource is ProjectResource)
        {
            AddProjectConventions(instance, context.EnvironmentVariables);
        }

        foreach (var callback in instance.Resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in context.EnvironmentVariables)
        {
            if (await ResolveAsync(value, cancellationToken) is { } text)
            {
                resolved[name] = text;
            }
        }

        return resolved;
    }

    public async Task<List<string>> ResolveArgumentsAsync(ResourceInstance instance, CancellationToken cancellationToken)
    {
        var args = new List<object>();
        var context = new CommandLineArgsCallbackContext(executionContext, instance.Resource, args) { CancellationToken = cancellationToken };
        foreach (var callback in instance.Resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        var resolved = new List<string>(args.Count);
        foreach (var arg in args)
        {
            resolved.Add(await ResolveAsync(arg, cancellationToken) ?? "");
        }

        return resolved;
    }

    internal static async ValueTask<string?> ResolveAsync(object? value, CancellationToken cancellationToken) => value switch
    {
        null => null,
        string text => text,
        IValueProvider provider => await provider.GetValueAsync(cancellationToken),
        IFormattable formattable => formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    // Aspire's conventions for .NET projects: Kestrel listens on the instance's own ports, the environment follows the
    // AppHost's, and console colours survive the redirection so the dashboard can show them.
    private void AddProjectConventions(ResourceInstance instance, Dictionary<string, object?> environment)
    {
        var urls = instance.Endpoints.Values
            .Where(e => e.Endpoint.UriScheme is "http" or "https")
            .Select(e => $"{e.Endpoint.UriScheme}://localhost:{e.Port}");
        environment["ASPNETCORE_URLS"] = string.Join(';', urls);
        environment["ASPNETCORE_ENVIRONMENT"] = hostEnvironment.EnvironmentName;
        environment["DOTNET_ENVIRONMENT"] = hostEnvironment.EnvironmentName;
        environment.TryAdd("DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION", "true");
    }
}

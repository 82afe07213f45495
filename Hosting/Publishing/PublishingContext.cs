using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting.Publishing;

/// <summary>The model as a publisher sees it: resources, their environment and arguments evaluated in publish mode.</summary>
internal sealed class PublishingContext(DistributedApplicationModel model, string stagingDirectory, string outputDirectory,
    DistributedApplicationExecutionContext executionContext, IServiceProvider services, string applicationName, PublishingOptions options)
{
    public PublishingOptions Options { get; } = options;

    /// <summary>Lower-case name of the application (the AppHost's), used to label what is deployed.</summary>
    public string ApplicationName { get; } = new([.. applicationName.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);

    public DistributedApplicationModel Model { get; } = model;

    /// <summary>Where the publisher writes; moved to <see cref="OutputDirectory"/> only once everything is written.</summary>
    public string StagingDirectory { get; } = stagingDirectory;

    /// <summary>The final directory: relative paths in the output are relative to it.</summary>
    public string OutputDirectory { get; } = outputDirectory;

    public IEnumerable<IResource> DeployableResources => Model.Resources.Where(r => !r.Annotations.OfType<HiddenResourceAnnotation>().Any());

    public async Task<Dictionary<string, object?>> GetEnvironmentAsync(IResource resource, CancellationToken cancellationToken)
    {
        var context = new EnvironmentCallbackContext(executionContext, resource) { CancellationToken = cancellationToken, Services = services };
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return context.EnvironmentVariables;
    }

    public async Task<List<object>> GetArgumentsAsync(IResource resource, CancellationToken cancellationToken)
    {
        var args = new List<object>();
        var context = new CommandLineArgsCallbackContext(executionContext, resource, args) { CancellationToken = cancellationToken };
        foreach (var callback in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return args;
    }

    public string RelativePath(string path) => Path.GetRelativePath(OutputDirectory, path).Replace('\\', '/');
}

using System.Reflection;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Eventing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aspire.Hosting.Testing;

/// <summary>The AppHost's builder, paused before <c>Build()</c> so a test can adjust configuration and the model.</summary>
public interface IDistributedApplicationTestingBuilder : IDistributedApplicationBuilder, IAsyncDisposable
{
    Task<DistributedApplication> BuildAsync(CancellationToken cancellationToken = default);
}

internal sealed class TestingBuilder(DistributedApplicationBuilder inner, Func<CancellationToken, Task<DistributedApplication>> build, Action abandon)
    : IDistributedApplicationTestingBuilder
{
    private bool _built;

    public ConfigurationManager Configuration => inner.Configuration;

    public IHostEnvironment Environment => inner.Environment;

    public IServiceCollection Services => inner.Services;

    public string AppHostDirectory => inner.AppHostDirectory;

    public Assembly? AppHostAssembly => inner.AppHostAssembly;

    public DistributedApplicationExecutionContext ExecutionContext => inner.ExecutionContext;

    public IDistributedApplicationEventing Eventing => inner.Eventing;

    public IReadOnlyList<IResource> Resources => inner.Resources;

    public IResourceBuilder<T> AddResource<T>(T resource) where T : IResource => inner.AddResource(resource);

    public IResourceBuilder<T> CreateResourceBuilder<T>(T resource) where T : IResource => inner.CreateResourceBuilder(resource);

    public async Task<DistributedApplication> BuildAsync(CancellationToken cancellationToken = default)
    {
        _built = true;
        return await build(cancellationToken);
    }

    public DistributedApplication Build() => BuildAsync().GetAwaiter().GetResult();

    public ValueTask DisposeAsync()
    {
        if (!_built)
        {
            abandon();
        }

        return ValueTask.CompletedTask;
    }
}

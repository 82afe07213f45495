using System.Reflection;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Dashboard;
using Aspire.Hosting.Eventing;
using Aspire.Hosting.Orchestration;
using Aspire.Hosting.Publishing;
using Aspire.Hosting.Secrets;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.UserSecrets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

public sealed class DistributedApplicationBuilder : IDistributedApplicationBuilder
{
    private readonly HostApplicationBuilder _innerBuilder;
    private readonly List<IResource> _resources = [];
    private readonly DistributedApplicationOptions _options;

    public DistributedApplicationBuilder(DistributedApplicationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        AppHostAssembly = options.Assembly ?? Assembly.GetEntryAssembly();
        AppHostDirectory = AppHostAssembly?.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "apphostprojectpath")?.Value ?? AppContext.BaseDirectory;

        _innerBuilder = new HostApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = options.Args,
            ApplicationName = AppHostAssembly?.GetName().Name,
            ContentRootPath = AppHostDirectory,
            EnvironmentName = options.EnvironmentName,
        });
        AddUserSecretsOutsideDevelopment();

        ExecutionContext = new DistributedApplicationExecutionContext(PublishingOptions.From(Configuration).IsPublishing
            ? DistributedApplicationOperation.Publish
            : DistributedApplicationOperation.Run);

        _innerBuilder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        _innerBuilder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        _innerBuilder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);

        // Start-up failures are reported once, as a message (ConsoleErrorReporter), not as the host's stack trace.
        _innerBuilder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);

        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton(ExecutionContext);
        Services.AddSingleton(Eventing);
        Services.AddSingleton<ResourceNotificationService>();
        Services.AddSingleton<ResourceLoggerService>();
        Services.AddHttpClient();
        Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(2));
        Services.AddOptions<HostingOptions>().BindConfiguration(HostingOptions.SectionName);
        Services.AddOrchestration();
        Services.AddPublishing();
    }

    public ConfigurationManager Configuration => _innerBuilder.Configuration;

    public IHostEnvironment Environment => _innerBuilder.Environment;

    public IServiceCollection Services => _innerBuilder.Services;

    public string AppHostDirectory { get; }

    public Assembly? AppHostAssembly { get; }

    public DistributedApplicationExecutionContext ExecutionContext { get; }

    public IDistributedApplicationEventing Eventing { get; } = new DistributedApplicationEventing();

    public IReadOnlyList<IResource> Resources => _resources;

    internal bool DisableDashboard => _options.DisableDashboard || Configuration.GetValue<bool>("DisableDashboard");

    public IResourceBuilder<T> AddResource<T>(T resource) where T : IResource
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (_resources.FirstOrDefault(r => string.Equals(r.Name, resource.Name, StringComparison.OrdinalIgnoreCase)) is { } existing)
        {
            throw new DistributedApplicationException(
                $"Cannot add resource '{resource.Name}' ({resource.GetType().Name}): a resource named '{existing.Name}' ({existing.GetType().Name}) already exists. Resource names are unique, ignoring case; rename one of them.");
        }

        _resources.Add(resource);
        return CreateResourceBuilder(resource);
    }

    public IResourceBuilder<T> CreateResourceBuilder<T>(T resource) where T : IResource => new ResourceBuilder<T>(this, resource);

    public DistributedApplication Build()
    {
        DistributedApplicationTestingHooks.Current?.OnBuilding(this);

        var hostingOptions = Configuration.GetSection(HostingOptions.SectionName).Get<HostingOptions>() ?? new HostingOptions();
        var paths = new AppHostPaths(hostingOptions, Environment.ApplicationName, AppHostDirectory, AppHostAssembly);
        var secrets = new SecretsStore(paths.SecretsFile);
        if (ExecutionContext.IsRunMode && !DisableDashboard)
        {
            DashboardResourceBuilder.AddDashboard(this, secrets);
        }

        var model = new DistributedApplicationModel([.. _resources]);
        ModelValidator.Validate(model);
        if (ExecutionContext.IsRunMode)
        {
            ParameterProcessor.Resolve(_resources.OfType<ParameterResource>(), Configuration, secrets);
        }

        Services.TryAddSingleton(new ResourceServiceOptions());

        Services.AddSingleton(model);
        Services.AddSingleton(paths);
        Services.AddSingleton<IDistributedApplicationBuilder>(this);
        var app = new DistributedApplication(_innerBuilder.Build());
        DistributedApplicationTestingHooks.Current?.OnBuilt(app);
        return app;
    }

    // The default host only reads user secrets in Development; generated passwords live there in every environment.
    private void AddUserSecretsOutsideDevelopment()
    {
        if (Environment.IsDevelopment() || AppHostAssembly?.GetCustomAttribute<UserSecretsIdAttribute>() is not { } id)
        {
            return;
        }

        var sources = ((IConfigurationBuilder)Configuration).Sources;
        var index = sources.ToList().FindIndex(s => s is EnvironmentVariablesConfigurationSource);
        var secrets = new ConfigurationBuilder().AddJsonFile(PathHelper.GetSecretsPathFromSecretsId(id.UserSecretsId), optional: true).Sources[0];
        sources.Insert(index < 0 ? sources.Count : index, secrets);
    }
}

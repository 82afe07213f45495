using System.Reflection;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Eventing;
using Aspire.Hosting.Orchestration;
using Aspire.Hosting.Secrets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting.Dashboard;

/// <summary>
/// Adds the repository's dashboard as a hidden project resource, as Aspire adds its own: frontend on
/// <c>ASPNETCORE_URLS</c> (18888), OTLP/gRPC on <c>ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL</c> (18889), OTLP/HTTP on
/// <c>ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL</c> (18890), all configured through Aspire's dashboard settings.
/// </summary>
internal static class DashboardResourceBuilder
{
    public const string ResourceName = "aspire-dashboard";
    private const string OtlpGrpcEndpoint = "otlp-grpc";
    private const string OtlpHttpEndpoint = "otlp-http";

    public static void AddDashboard(DistributedApplicationBuilder builder, SecretsStore secrets)
    {
        var configuration = builder.Configuration;
        var metadata = FindDashboard(builder.AppHostAssembly, configuration);
        if (metadata is null)
        {
            return;
        }

        var options = new DashboardOptions(
            BrowserToken: configuration["AppHost:BrowserToken"] ?? Generate(),
            OtlpApiKey: configuration["AppHost:OtlpApiKey"] ?? Generate(),
            ApiKey: configuration["AppHost:DashboardApiKey"] ?? secrets.GetOrCreate("AppHost:DashboardApiKey", Generate));
        var resourceService = new ResourceServiceOptions
        {
            EndpointUrl = configuration["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"],
            AuthMode = configuration["AppHost:ResourceService:AuthMode"] ?? "ApiKey",
            ApiKey = configuration["AppHost:ResourceService:ApiKey"] ?? Generate(),
        };
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(resourceService);

        var dashboard = builder.AddResource(new ProjectResource(ResourceName, metadata))
            .WithEndpoint(port: PortOf(configuration["ASPNETCORE_URLS"], 18888), scheme: "http", name: "http")
            .WithEndpoint(port: PortOf(configuration["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"], 18889), scheme: "http", name: OtlpGrpcEndpoint)
            .WithEndpoint(port: PortOf(configuration["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"], 18890), scheme: "http", name: OtlpHttpEndpoint)
            .WithAnnotation(new HiddenResourceAnnotation())
            .WithHttpHealthCheck("/health/live", endpointName: "http");
        var resource = dashboard.Resource;

        dashboard.WithEnvironment(context =>
        {
            var env = context.EnvironmentVariables;
            env["ASPNETCORE_URLS"] = context.InstanceEndpoints["http"].UriString;
            env["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = context.InstanceEndpoints[OtlpGrpcEndpoint].UriString;
            env["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = context.InstanceEndpoints[OtlpHttpEndpoint].UriString;
            if (context.Services.GetRequiredService<DashboardServiceHost>().Url is { } serviceUrl)
            {
                env["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = serviceUrl.ToString().TrimEnd('/');
            }

            env["DASHBOARD__FRONTEND__AUTHMODE"] = "BrowserToken";
            env["DASHBOARD__FRONTEND__BROWSERTOKEN"] = options.BrowserToken;
            env["DASHBOARD__OTLP__AUTHMODE"] = "ApiKey";
            env["DASHBOARD__OTLP__PRIMARYAPIKEY"] = options.OtlpApiKey;
            env["DASHBOARD__API__AUTHMODE"] = "ApiKey";
            env["DASHBOARD__API__PRIMARYAPIKEY"] = options.ApiKey;
            env["DASHBOARD__RESOURCESERVICECLIENT__AUTHMODE"] = resourceService.IsUnsecured ? "Unsecured" : "ApiKey";
            env["DASHBOARD__RESOURCESERVICECLIENT__APIKEY"] = resourceService.ApiKey;
        });

        builder.Eventing.Subscribe<BeforeStartEvent>((e, ct) =>
        {
            e.Services.GetRequiredService<OtlpEndpointResolver>().DashboardEndpoint = () =>
                new EndpointReference(resource, OtlpGrpcEndpoint) is { IsAllocated: true } otlp ? new OtlpEndpoint(otlp.Url, "grpc", options.OtlpApiKey) : null;
            return Task.CompletedTask;
        });

        builder.Eventing.Subscribe<ResourceReadyEvent>(resource, (e, ct) =>
        {
            var url = resource.Annotations.OfType<EndpointAnnotation>().Single(a => a.Name == "http").AllocatedEndpoint!.UriString;
            e.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Aspire.Hosting.Dashboard")
                .LogInformation("Login to the dashboard at {DashboardLoginUrl}", $"{url}/login?t={options.BrowserToken}");
            return Task.CompletedTask;
        });
    }

    private static IProjectMetadata? FindDashboard(Assembly? appHost, IConfiguration configuration)
    {
        var attributes = appHost?.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value) ?? [];
        var targetPath = configuration["ASPIRE_DASHBOARD_PATH"] ?? attributes.GetValueOrDefault("aspiredashboardpath");
        if (targetPath is null)
        {
            return null;
        }

        var projectPath = attributes.GetValueOrDefault("aspiredashboardprojectpath") ?? targetPath;
        return new DashboardProjectMetadata(projectPath, targetPath);
    }

    private static int PortOf(string? urls, int fallback) =>
        urls?.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) ? uri.Port : (int?)null).FirstOrDefault(p => p is not null)
        ?? fallback;

    private static string Generate() => PasswordGenerator.Generate(new GenerateParameterDefault { Special = false });

    private sealed record DashboardProjectMetadata(string ProjectPath, string TargetPath) : IProjectMetadata;
}

using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Aspire.Dashboard.Configuration;

// Maps Aspire's environment names onto the options and fills in the secure defaults.
internal sealed class DashboardOptionsSetup(IConfiguration configuration) : IPostConfigureOptions<DashboardOptions>
{
    public const string OtlpGrpcUrlKey = "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL";
    public const string OtlpHttpUrlKey = "ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL";
    public const string ResourceServiceUrlKey = "ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL";
    public const string UnsecuredAllowAnonymousKey = "ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS";
    private const string BrowserTokenKey = "Dashboard:Frontend:BrowserToken";

    public void PostConfigure(string? name, DashboardOptions options)
    {
        options.Otlp.GrpcEndpointUrl = NonEmpty(configuration[OtlpGrpcUrlKey]) ?? options.Otlp.GrpcEndpointUrl ?? "http://localhost:18889";
        options.Otlp.HttpEndpointUrl = NonEmpty(configuration[OtlpHttpUrlKey]) ?? options.Otlp.HttpEndpointUrl ?? "http://localhost:18890";
        options.Frontend.EndpointUrls = NonEmpty(configuration["ASPNETCORE_URLS"]) ?? NonEmpty(configuration["urls"])
            ?? options.Frontend.EndpointUrls ?? "http://localhost:18888";
        options.ResourceServiceClient.Url = NonEmpty(configuration[ResourceServiceUrlKey]) ?? options.ResourceServiceClient.Url;

        if (bool.TryParse(configuration[UnsecuredAllowAnonymousKey], out var anonymous) && anonymous)
        {
            options.Frontend.AuthMode = FrontendAuthMode.Unsecured;
            options.Otlp.AuthMode = OtlpAuthMode.Unsecured;
            options.Api.AuthMode = ApiAuthMode.Unsecured;
        }

        options.Frontend.AuthMode ??= FrontendAuthMode.BrowserToken;
        options.Otlp.AuthMode ??= string.IsNullOrEmpty(options.Otlp.PrimaryApiKey) ? OtlpAuthMode.Unsecured : OtlpAuthMode.ApiKey;
        // Unlike the OTLP endpoint the API is never open by default: without a key only the login cookie works.
        options.Api.AuthMode ??= ApiAuthMode.ApiKey;
        options.ResourceServiceClient.AuthMode ??= string.IsNullOrEmpty(options.ResourceServiceClient.ApiKey)
            ? ResourceClientAuthMode.Unsecured
            : ResourceClientAuthMode.ApiKey;

        if (options.Frontend.AuthMode == FrontendAuthMode.BrowserToken && string.IsNullOrEmpty(options.Frontend.BrowserToken))
        {
            // Stored back into configuration so every options instance built later sees the same token.
            var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            configuration[BrowserTokenKey] = token;
            options.Frontend.BrowserToken = token;
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

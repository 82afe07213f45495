using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

public static class ApiKeyAuthenticationExtensions
{
    /// <summary>
    /// Registers the <c>ApiKey</c> scheme with keys from the <c>Auth</c> configuration section. It is not a default
    /// authenticate scheme: a key is examined only on endpoints whose policy names the scheme (<see cref="RequireScope"/>,
    /// or the default policy behind <c>RequireAuthorization()</c> and <c>[Authorize]</c>), so anonymous endpoints pay
    /// nothing for authentication.
    /// </summary>
    public static TBuilder AddApiKeyAuthentication<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ApiKeyOptions>().BindConfiguration(ApiKeyOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>();
        builder.Services.AddSingleton<ApiKeyStore>();
        // ASP.NET Core makes a lone scheme the default on its own, which would authenticate every request again; its
        // documented switch turns that off (a service wanting a default names one: AddAuthentication(scheme)).
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", true);
        builder.Services.TryAddTransient<ApiKeyAuthenticationHandler>();
        builder.Services.AddAuthentication(options => options.AddScheme(
            ApiKeyDefaults.AuthenticationScheme, scheme => scheme.HandlerType = typeof(ApiKeyAuthenticationHandler)));
        builder.Services.AddAuthorization(options => options.DefaultPolicy = new AuthorizationPolicyBuilder(ApiKeyDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .Build());
        return builder;
    }

    /// <summary>Requires an API key holding every one of <paramref name="scopes"/> (none: any valid key).</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, params string[] scopes) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(scopes);
        foreach (var scope in scopes)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(scope, nameof(scopes));
        }
        return builder.RequireAuthorization(policy => policy
            .AddAuthenticationSchemes(ApiKeyDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .AddRequirements(new ScopeRequirement([.. scopes])));
    }
}

using System.Security.Claims;
using Aspire.Dashboard.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;

namespace Aspire.Dashboard.Authentication;

public static class DashboardAuthentication
{
    public const string FrontendPolicy = "Frontend";
    public const string ApiPolicy = "Api";
    public const string OtlpPolicy = "Otlp";
    public const string OtlpScheme = "OtlpApiKey";
    public const string ApiKeyScheme = "DashboardApiKey";
    public const string CookieName = ".Aspire.Dashboard.Auth";

    public static IServiceCollection AddDashboardAuthentication(this IServiceCollection services, DashboardOptions options)
    {
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(cookie =>
            {
                cookie.Cookie.Name = CookieName;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.LoginPath = "/login";
                cookie.ExpireTimeSpan = TimeSpan.FromDays(3);
                cookie.SlidingExpiration = true;
                cookie.Events.OnRedirectToLogin = context =>
                {
                    // Scripts calling the API get a status code, browsers get the login page.
                    if (context.Request.Path.StartsWithSegments("/api"))
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    }
                    else
                    {
                        context.Response.Redirect(context.RedirectUri);
                    }

                    return Task.CompletedTask;
                };
            })
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(OtlpScheme, o =>
            {
                o.HeaderName = "x-otlp-api-key";
                o.Keys = Keys(options.Otlp.PrimaryApiKey, options.Otlp.SecondaryApiKey);
            })
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyScheme, o =>
            {
                o.HeaderName = "x-api-key";
                o.Keys = Keys(options.Api.PrimaryApiKey, options.Api.SecondaryApiKey);
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(FrontendPolicy, policy => Require(policy, options.Frontend.AuthMode == FrontendAuthMode.Unsecured,
                CookieAuthenticationDefaults.AuthenticationScheme))
            .AddPolicy(ApiPolicy, policy => Require(policy, options.Api.AuthMode == ApiAuthMode.Unsecured,
                ApiKeyScheme, CookieAuthenticationDefaults.AuthenticationScheme))
            .AddPolicy(OtlpPolicy, policy => Require(policy, options.Otlp.AuthMode == OtlpAuthMode.Unsecured, OtlpScheme));
        return services;
    }

    private static void Require(AuthorizationPolicyBuilder policy, bool unsecured, params string[] schemes)
    {
        if (unsecured)
        {
            policy.RequireAssertion(_ => true);
            return;
        }

        policy.AddAuthenticationSchemes(schemes).RequireAuthenticatedUser();
    }

    private static string[] Keys(params string?[] keys) => [.. keys.Where(k => !string.IsNullOrEmpty(k)).Select(k => k!)];

    public static Task SignInAsync(HttpContext context) =>
        context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "browser")], CookieAuthenticationDefaults.AuthenticationScheme)));
}

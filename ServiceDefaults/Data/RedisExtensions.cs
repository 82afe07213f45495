using Aspire.StackExchange.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Aspire.StackExchange.Redis's client integration. Redis is optional for these services: the multiplexer never aborts
/// on a failed connect, keeps reconnecting in the background, and its health check reports Degraded rather than Unhealthy.
/// </summary>
public static class RedisExtensions
{
    private const string ConfigSectionName = "Aspire:StackExchange:Redis";

    public static void AddRedisClient(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<StackExchangeRedisSettings>? configureSettings = null,
        Action<ConfigurationOptions>? configureOptions = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionName);

        var settings = new StackExchangeRedisSettings();
        var section = builder.Configuration.GetSection(ConfigSectionName);
        section.Bind(settings);
        section.GetSection(connectionName).Bind(settings);
        if (builder.Configuration.GetConnectionString(connectionName) is { } connectionString)
        {
            settings.ConnectionString = connectionString;
        }
        configureSettings?.Invoke(settings);

        builder.Services.AddSingleton<IConnectionMultiplexer>(sp =>
        {
            if (string.IsNullOrWhiteSpace(settings.ConnectionString))
            {
                throw new InvalidOperationException(
                    $"No connection string for '{connectionName}': set ConnectionStrings:{connectionName} or {ConfigSectionName}:ConnectionString.");
            }
            var options = ConfigurationOptions.Parse(settings.ConnectionString);
            options.AbortOnConnectFail = false;
            options.LoggerFactory ??= sp.GetService<ILoggerFactory>();
            configureOptions?.Invoke(options);
            return ConnectionMultiplexer.Connect(options);
        });

        if (!settings.DisableAutoActivation)
        {
            builder.Services.AddHostedService<RedisConnectionActivator>();
        }
        if (!settings.DisableHealthChecks)
        {
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                "Redis",
                sp => new RedisHealthCheck(sp.GetRequiredService<IConnectionMultiplexer>()),
                HealthStatus.Degraded,
                [HealthCheckTags.Ready]));
        }
        if (!settings.DisableTracing)
        {
            builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource(RedisTelemetry.ActivitySourceName));
        }
    }
}

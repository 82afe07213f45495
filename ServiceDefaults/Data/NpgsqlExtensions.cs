using System.Data.Common;
using Aspire.Npgsql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Microsoft.Extensions.Hosting;

/// <summary>Aspire.Npgsql's client integration: an <see cref="NpgsqlDataSource"/> from <c>ConnectionStrings:{name}</c>, traced, measured, health-checked.</summary>
public static class NpgsqlExtensions
{
    private const string ConfigSectionName = "Aspire:Npgsql";

    public static void AddNpgsqlDataSource(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<NpgsqlSettings>? configureSettings = null,
        Action<NpgsqlDataSourceBuilder>? configureDataSourceBuilder = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionName);

        var settings = new NpgsqlSettings();
        var section = builder.Configuration.GetSection(ConfigSectionName);
        section.Bind(settings);
        section.GetSection(connectionName).Bind(settings);
        if (builder.Configuration.GetConnectionString(connectionName) is { } connectionString)
        {
            settings.ConnectionString = connectionString;
        }
        configureSettings?.Invoke(settings);

        builder.Services.AddSingleton(sp =>
        {
            // Validated when first resolved, after logging is up, as Aspire does.
            if (string.IsNullOrWhiteSpace(settings.ConnectionString))
            {
                throw new InvalidOperationException(
                    $"No connection string for '{connectionName}': set ConnectionStrings:{connectionName} or {ConfigSectionName}:ConnectionString.");
            }
            var dataSourceBuilder = new NpgsqlDataSourceBuilder(settings.ConnectionString) { Name = connectionName };
            dataSourceBuilder.UseLoggerFactory(sp.GetService<ILoggerFactory>());
            // One span per query, with its statement, is the trace; Npgsql's default "received-first-response" event
            // on every span adds an event to allocate, redact and export per query and says little the span's
            // duration does not (a service wanting it back calls ConfigureTracing in configureDataSourceBuilder).
            dataSourceBuilder.ConfigureTracing(tracing => tracing.EnableFirstResponseEvent(false));
            configureDataSourceBuilder?.Invoke(dataSourceBuilder);
            return dataSourceBuilder.Build();
        });
        builder.Services.AddSingleton<DbDataSource>(sp => sp.GetRequiredService<NpgsqlDataSource>());

        if (!settings.DisableHealthChecks)
        {
            builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
                "PostgreSql",
                sp => new NpgsqlHealthCheck(sp.GetRequiredService<NpgsqlDataSource>()),
                HealthStatus.Unhealthy,
                [HealthCheckTags.Ready]));
        }
        if (!settings.DisableTracing)
        {
            builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddNpgsql());
        }
        if (!settings.DisableMetrics)
        {
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter("Npgsql"));
        }
    }
}

using Api.Events;
using Api.RateLimiting;
using Jobs.Signals;
using Jobs.Storage;
using Jobs.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.Hosting;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        EnsureApiKeyConfigured(builder);
        builder.AddNpgsqlDataSource("jobsdb", configureDataSourceBuilder: JobsDataSource.Configure);
        builder.AddRedisClient("cache");
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics.AddMeter(JobsTelemetry.Name))
            .WithTracing(tracing => tracing.AddSource(JobsTelemetry.Name));

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<JobsTelemetry>();
        services.AddSingleton<JobSignals>();
        services.AddSingleton<JobStore>();
        services.AddSingleton<JobInserter>();
        services.AddSingleton<Migrator>();
        services.AddHostedService<MigrationService>();
        services.AddSingleton<JobChangeFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<JobChangeFeed>());

        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .Validate(RateLimitOptions.IsValid, "Jobs:RateLimit needs PermitsPerSecond > 0 and Burst >= 1.").ValidateOnStart();
        services.AddSingleton<RedisTokenBucket>();

        // Authentication (API keys with scopes), request ids and ProblemDetails come from AddServiceDefaults().
        services.AddOpenApi();
    }

    /// <summary>Without a key every request is refused with 401; outside Development that is a misconfiguration, so say so at start.</summary>
    private static void EnsureApiKeyConfigured(IHostApplicationBuilder builder)
    {
        var configured = builder.Configuration.GetSection("Auth:ApiKeys").GetChildren().Any(k => !string.IsNullOrEmpty(k.Value))
            || builder.Configuration.GetSection("Auth:Keys").GetChildren().Any();
        if (!configured && !builder.Environment.IsDevelopment())
        {
            throw new InvalidOperationException("No API key is configured. Set Auth:ApiKeys:0 (env Auth__ApiKeys__0) or Auth:Keys:N; the Api refuses to run unprotected outside Development.");
        }
    }
}

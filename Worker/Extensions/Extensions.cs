using Jobs.Signals;
using Jobs.Storage;
using Jobs.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Worker.Handlers;
using Worker.Maintenance;
using Worker.Outbound;
using Worker.Processing;
using Worker.Tools;

namespace Microsoft.Extensions.Hosting;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource("jobsdb", configureDataSourceBuilder: JobsDataSource.Configure);
        builder.AddRedisClient("cache");
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics.AddMeter(JobsTelemetry.Name))
            .WithTracing(tracing => tracing.AddSource(JobsTelemetry.Name));

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.Section)
            .Validate(o => !WorkerOptions.Validate(o).Any(), "Invalid Jobs:Worker options.").ValidateOnStart();
        services.AddOptions<MaintenanceOptions>().BindConfiguration(MaintenanceOptions.Section)
            .Validate(o => !MaintenanceOptions.Validate(o).Any(), "Invalid Jobs:Maintenance options.").ValidateOnStart();
        // Shutdown waits for the grace period plus the release of whatever is left.
        services.AddOptions<HostOptions>().Configure<IOptions<WorkerOptions>>((host, worker) =>
            host.ShutdownTimeout = worker.Value.ShutdownGrace + TimeSpan.FromSeconds(10));

        services.AddSingleton<JobsTelemetry>();
        services.AddSingleton<JobSignals>();
        services.AddSingleton<Migrator>();
        services.AddSingleton<WorkerIdentity>();
        services.AddSingleton<RunningJobs>();
        services.AddSingleton<RetryPolicy>();
        services.AddSingleton<JobFetcher>();
        services.AddSingleton<JobExecutor>();
        services.AddSingleton<StepRecorder>();
        services.AddSingleton<BatchCompleter>();
        services.AddSingleton<LeaseHeartbeat>();
        services.AddSingleton<MaintenanceLeader>();
        services.AddSingleton<JobRunner>();

        services.AddOutboundHttp();
        services.AddSingleton<JobHandlers>();
        services.AddSingleton<IJobHandler, EchoHandler>();
        services.AddSingleton<IJobHandler, DelayHandler>();
        services.AddSingleton<IJobHandler, FailHandler>();
        services.AddSingleton<IJobHandler, WebhookHandler>();
        services.AddSingleton<IJobHandler, AgentHandler>();
        services.AddSingleton<ToolRegistry>();
        services.AddSingleton<IAgentTool, EchoTool>();
        services.AddSingleton<IAgentTool, UppercaseTool>();
        services.AddSingleton<IAgentTool, HashTool>();
        services.AddSingleton<IAgentTool, SleepTool>();
        services.AddSingleton<IAgentTool, HttpGetTool>();

        services.AddSingleton<IMaintenanceService, LeaseRescuer>();
        services.AddSingleton<IMaintenanceService, ScheduledPromoter>();
        services.AddSingleton<IMaintenanceService, RetentionPruner>();
        services.AddSingleton<IMaintenanceService, QueueDepthSampler>();

        // Hosted services stop in reverse order: the runner drains first, then heartbeats and the completer's final flush.
        services.AddHostedService<MigrationService>();
        services.AddHostedService(sp => sp.GetRequiredService<BatchCompleter>());
        services.AddHostedService(sp => sp.GetRequiredService<LeaseHeartbeat>());
        services.AddHostedService(sp => sp.GetRequiredService<MaintenanceLeader>());
        services.AddHostedService(sp => sp.GetRequiredService<JobRunner>());
    }
}

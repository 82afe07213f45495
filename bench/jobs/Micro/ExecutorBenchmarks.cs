using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Jobs.Signals;
using Jobs.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;
using Worker.Handlers;
using Worker.Processing;

namespace Bench.Jobs.Micro;

/// <summary>
/// One echo job through <see cref="JobExecutor"/> as the runner starts it: span, log scope, request id, metrics,
/// handler, completion queued for the batch completer. <c>Traced</c> runs under ServiceDefaults' OpenTelemetry set-up
/// (every span sampled and redacted, metrics aggregated for Prometheus) with no exporter, as in the AppHost without a dashboard.
/// </summary>
[MemoryDiagnoser]
public class ExecutorBenchmarks
{
    private const int Jobs = 1000;

    private IHost _host = null!;
    private ClaimedJob[] _jobs = [];
    private NpgsqlDataSource _dataSource = null!;
    private IConnectionMultiplexer _redis = null!;

    [Params(false, true)]
    public bool Traced { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<JobsTelemetry>();
        if (Traced)
        {
            builder.AddServiceDefaults();
            builder.Services.AddOpenTelemetry()
                .WithTracing(tracing => tracing.AddSource(JobsTelemetry.Name))
                .WithMetrics(metrics => metrics.AddMeter(JobsTelemetry.Name));
        }
        _host = builder.Build();
        _host.StartAsync().GetAwaiter().GetResult();
        // Never connected: the completer is not started, so completions only queue.
        _dataSource = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1");
        _redis = ConnectionMultiplexer.Connect("127.0.0.1:1,abortConnect=false,connectTimeout=10,connectRetry=0");
        var input = JsonDocument.Parse("""{"i":1}""").RootElement.Clone();
        var now = DateTimeOffset.UtcNow;
        _jobs = [.. Enumerable.Range(0, Jobs).Select(i => new ClaimedJob(Guid.CreateVersion7(), "echo", "default", 1, 3, input, now, now,
            $"00-{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())}-{Convert.ToHexStringLower(BitConverter.GetBytes((long)i + 1))}-01",
            null, "0123456789abcdef0123456789abcdef", false))];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _host.StopAsync().GetAwaiter().GetResult();
        _host.Dispose();
        _redis.Dispose();
        _dataSource.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Jobs)]
    public async Task EchoJob()
    {
        var services = _host.Services;
        var options = Options.Create(new WorkerOptions());
        var time = TimeProvider.System;
        var signals = new JobSignals(_redis, NullLogger<JobSignals>.Instance);
        using var completer = new BatchCompleter(_dataSource, new WorkerIdentity(), signals, time, options, NullLogger<BatchCompleter>.Instance);
        var executor = new JobExecutor(new JobHandlers([new EchoHandler()]), completer, new RetryPolicy(options),
            services.GetRequiredService<JobsTelemetry>(), time, options, services.GetRequiredService<ILogger<JobExecutor>>());
        var registry = new RunningJobs();
        foreach (var job in _jobs)
        {
            var running = executor.Prepare(job);
            registry.Add(running);
            await executor.RunAsync(running, registry);
        }
    }
}

using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>What an operator asks first when a replica misbehaves: which build, how long up, memory, GC, threads, disk, dependencies.</summary>
internal static class DetailedHealthEndpoint
{
    public static async Task WriteAsync(
        HttpContext context,
        HealthCheckService health,
        IHostEnvironment environment,
        IOptions<ServiceHealthOptions> options,
        TimeProvider timeProvider)
    {
        var report = await health.CheckHealthAsync(context.RequestAborted);
        context.Response.StatusCode = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";

        await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
        json.WriteStartObject();
        json.WriteString("status", HealthReportWriter.Name(report.Status));
        HealthReportWriter.WriteChecks(json, report);
        json.WriteString("timestamp", timeProvider.GetUtcNow());
        WriteVersions(json, environment);
        WriteProcess(json, timeProvider);
        WriteDisks(json, options.Value, environment);
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    private static void WriteVersions(Utf8JsonWriter json, IHostEnvironment environment)
    {
        var entry = Assembly.GetEntryAssembly();
        json.WriteStartObject("versions");
        json.WriteString("service", environment.ApplicationName);
        json.WriteString("serviceVersion", entry?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? entry?.GetName().Version?.ToString());
        json.WriteString("runtime", RuntimeInformation.FrameworkDescription);
        json.WriteString("os", RuntimeInformation.OSDescription);
        json.WriteString("environment", environment.EnvironmentName);
        json.WriteEndObject();
    }

    private static void WriteProcess(Utf8JsonWriter json, TimeProvider timeProvider)
    {
        using var process = Process.GetCurrentProcess();
        var gc = GC.GetGCMemoryInfo();
        json.WriteNumber("uptimeSeconds", Math.Round((timeProvider.GetUtcNow() - process.StartTime.ToUniversalTime()).TotalSeconds, 1));

        json.WriteStartObject("memory");
        json.WriteNumber("workingSetBytes", process.WorkingSet64);
        json.WriteNumber("gcHeapBytes", GC.GetTotalMemory(forceFullCollection: false));
        json.WriteNumber("totalAllocatedBytes", GC.GetTotalAllocatedBytes());
        json.WriteNumber("committedBytes", gc.TotalCommittedBytes);
        json.WriteEndObject();

        json.WriteStartObject("gc");
        json.WriteNumber("gen0Collections", GC.CollectionCount(0));
        json.WriteNumber("gen1Collections", GC.CollectionCount(1));
        json.WriteNumber("gen2Collections", GC.CollectionCount(2));
        json.WriteNumber("pauseTimePercentage", gc.PauseTimePercentage);
        json.WriteNumber("totalPauseMs", GC.GetTotalPauseDuration().TotalMilliseconds);
        json.WriteBoolean("serverGc", System.Runtime.GCSettings.IsServerGC);
        json.WriteEndObject();

        ThreadPool.GetAvailableThreads(out var availableWorkers, out var availableIo);
        ThreadPool.GetMaxThreads(out var maxWorkers, out var maxIo);
        json.WriteStartObject("threadPool");
        json.WriteNumber("threads", ThreadPool.ThreadCount);
        json.WriteNumber("pendingWorkItems", ThreadPool.PendingWorkItemCount);
        json.WriteNumber("completedWorkItems", ThreadPool.CompletedWorkItemCount);
        json.WriteNumber("busyWorkerThreads", maxWorkers - availableWorkers);
        json.WriteNumber("busyIoThreads", maxIo - availableIo);
        json.WriteEndObject();
    }

    private static void WriteDisks(Utf8JsonWriter json, ServiceHealthOptions options, IHostEnvironment environment)
    {
        var paths = options.DataPaths.Count > 0 ? options.DataPaths : [environment.ContentRootPath, Path.GetTempPath()];
        json.WriteStartArray("disks");
        foreach (var path in paths)
        {
            json.WriteStartObject();
            json.WriteString("path", path);
            try
            {
                var drive = new DriveInfo(Path.GetFullPath(path));
                json.WriteNumber("freeBytes", drive.AvailableFreeSpace);
                json.WriteNumber("totalBytes", drive.TotalSize);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                json.WriteString("error", ex.GetType().Name);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}

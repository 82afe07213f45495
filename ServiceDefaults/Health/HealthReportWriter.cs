using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// <c>{status, checks: {name: {status, durationMs, description}}, timestamp}</c>. Exceptions stay out: their messages
/// can name hosts or credentials.
/// </summary>
internal static class HealthReportWriter
{
    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var timeProvider = (TimeProvider?)context.RequestServices.GetService(typeof(TimeProvider)) ?? TimeProvider.System;
        await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
        json.WriteStartObject();
        json.WriteString("status", Name(report.Status));
        WriteChecks(json, report);
        json.WriteString("timestamp", timeProvider.GetUtcNow());
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    public static void WriteChecks(Utf8JsonWriter json, HealthReport report)
    {
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", Name(entry.Status));
            json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 3));
            if (entry.Description is not null)
            {
                json.WriteString("description", entry.Description);
            }
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    public static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}

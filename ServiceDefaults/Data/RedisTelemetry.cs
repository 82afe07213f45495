using System.Diagnostics;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Client spans for the few Redis calls a service makes (no instrumentation package is available here). Keys and
/// arguments are never recorded: they can hold personal data.
/// </summary>
public static class RedisTelemetry
{
    public const string ActivitySourceName = "ServiceDefaults.Redis";

    private static readonly ActivitySource Source = new(ActivitySourceName);

    /// <summary>Starts a client span named after the Redis command (e.g. <c>PUBLISH</c>, <c>EVALSHA</c>); null when nobody listens.</summary>
    public static Activity? StartActivity(string operation)
    {
        ArgumentException.ThrowIfNullOrEmpty(operation);
        var activity = Source.StartActivity(operation, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("db.system.name", "redis");
            activity.SetTag("db.operation.name", operation);
        }
        return activity;
    }

    public static async Task<T> TraceAsync<T>(string operation, Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        using var activity = StartActivity(operation);
        try
        {
            return await call();
        }
        catch (Exception ex) when (Record(activity, ex))
        {
            throw;
        }
    }

    public static async Task TraceAsync(string operation, Func<Task> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        using var activity = StartActivity(operation);
        try
        {
            await call();
        }
        catch (Exception ex) when (Record(activity, ex))
        {
            throw;
        }
    }

    private static bool Record(Activity? activity, Exception exception)
    {
        if (activity is not null)
        {
            activity.AddException(exception);
            activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            activity.SetTag("error.type", exception.GetType().FullName);
        }
        return false;
    }
}

using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Bounds a check by time even when it ignores its cancellation token (a dependency that accepts a connection and then
/// never answers). The inner check is created inside the bound too: resolving a client can itself block on a connect.
/// </summary>
internal sealed class TimeoutHealthCheck(Func<IHealthCheck> createCheck, TimeSpan timeout, TimeProvider timeProvider) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var deadline = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var check = Task.Run(() => createCheck().CheckHealthAsync(context, linked.Token), CancellationToken.None);
        try
        {
            return await check.WaitAsync(timeout, timeProvider, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && deadline.IsCancellationRequested))
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"No answer within {timeout.TotalMilliseconds:0} ms.");
        }
    }
}

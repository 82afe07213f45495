using Aspire.Dashboard.Configuration;
using Microsoft.Extensions.Options;

namespace Aspire.Dashboard.Authentication;

// Standalone, nobody printed a login link: when the dashboard generated its own token it logs the link
// once it listens. A token passed in (by the AppHost) is the caller's to show.
internal sealed partial class LoginLinkReporter(
    IOptions<DashboardOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<LoginLinkReporter> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var frontend = options.Value.Frontend;
            var url = frontend.EndpointUrls!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0].TrimEnd('/');
            LogLoginLink(logger, $"{url}/login?t={frontend.BrowserToken}");
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Login to the dashboard at {DashboardLoginUrl}")]
    private static partial void LogLoginLink(ILogger logger, string dashboardLoginUrl);
}

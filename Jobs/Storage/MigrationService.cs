using Microsoft.Extensions.Hosting;

namespace Jobs.Storage;

/// <summary>Runs the migrations before the host starts serving, so no request or claim ever meets an old schema.</summary>
public sealed class MigrationService(Migrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

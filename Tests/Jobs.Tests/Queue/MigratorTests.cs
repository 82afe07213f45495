using Jobs.Storage;
using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Jobs.Tests.Queue;

[Collection(SharedAppCollection.Name)]
public sealed class MigratorTests(JobsApp app) : IAsyncLifetime
{
    private readonly TestDatabase _database = new(app);

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Replicas_starting_together_apply_each_migration_once()
    {
        // The fixture migrated already; drop the schema and let three "replicas" race.
        await _database.ExecuteAsync("DROP TABLE job_steps; DROP TABLE jobs; DROP TABLE jobs_migrations;");

        var applied = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            new Migrator(_database.DataSource, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None)));

        Assert.Equal(Migrator.Load().Count(), applied.Sum());
        Assert.Equal(Migrator.Load().Count(), (int)await _database.ScalarAsync<long>("SELECT count(*) FROM jobs_migrations"));
        Assert.True(await _database.ScalarAsync<bool>("SELECT to_regclass('jobs_claim_idx') IS NOT NULL"));
    }
}

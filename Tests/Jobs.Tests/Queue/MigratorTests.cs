using Jobs.Storage;
using Jobs.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Jobs.Tests.Queue;

public sealed class MigratorTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Replicas_starting_together_apply_each_migration_once()
    {
        // The fixture migrated already; drop the schema and let three "replicas" race.
        await database.ExecuteAsync("DROP TABLE job_steps; DROP TABLE jobs; DROP TABLE jobs_migrations;");

        var applied = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            new Migrator(database.DataSource, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None)));

        Assert.Equal(Migrator.Load().Count(), applied.Sum());
        Assert.Equal(Migrator.Load().Count(), (int)await database.ScalarAsync<long>("SELECT count(*) FROM jobs_migrations"));
        Assert.True(await database.ScalarAsync<bool>("SELECT to_regclass('jobs_claim_idx') IS NOT NULL"));
    }
}

using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Hosting.Tests.Infrastructure;
using Npgsql;

namespace Hosting.Tests;

public sealed class PersistenceTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Postgres_data_in_a_volume_survives_an_apphost_restart()
    {
        var ct = TestApps.Timeout(180);
        await using (var first = await StartAsync(ct))
        {
            await ExecuteAsync(first, "CREATE TABLE notes (text text); INSERT INTO notes VALUES ('kept across runs')", ct);
        }

        await using var second = await StartAsync(ct);
        Assert.Equal("kept across runs", await ExecuteAsync(second, "SELECT text FROM notes", ct));
        Assert.Contains(Directory.EnumerateDirectories(Path.Combine(_data.Path, "volumes")), d => d.EndsWith("-pg-data", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_volume_the_data_is_removed_with_the_run()
    {
        var builder = TestApps.CreateBuilder(_data);
        builder.AddPostgres("pg").AddDatabase("appdb");
        string runDirectory;
        await using (var app = builder.Build())
        {
            var ct = TestApps.Timeout(180);
            await app.StartAsync(ct);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("appdb", ct);
            runDirectory = Assert.Single(Directory.GetDirectories(Path.Combine(_data.Path, "run")));
            Assert.True(Directory.Exists(Path.Combine(runDirectory, "pg-data")));
        }

        Assert.False(Directory.Exists(runDirectory));
    }

    private async Task<DistributedApplication> StartAsync(CancellationToken ct)
    {
        var builder = TestApps.CreateBuilder(_data);
        builder.AddPostgres("pg").WithDataVolume().AddDatabase("appdb");
        var app = builder.Build();
        await app.StartAsync(ct);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("appdb", ct);
        return app;
    }

    private static async Task<object?> ExecuteAsync(DistributedApplication app, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(await app.GetConnectionStringAsync("appdb", ct));
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(ct);
    }
}

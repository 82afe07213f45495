using Jobs.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Jobs.Tests.Infrastructure;

/// <summary>A fresh, migrated database per test on the app's Postgres server, dropped afterwards.</summary>
public sealed class TestDatabase(JobsApp app) : IAsyncLifetime
{
    private readonly string _name = "jobs_test_" + Guid.NewGuid().ToString("N")[..12];
    private string _server = "";

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _server = app.ServerConnectionString;
        await using (var admin = NpgsqlDataSource.Create(_server))
        {
            await admin.CreateCommand($"CREATE DATABASE {_name}").ExecuteNonQueryAsync();
        }
        ConnectionString = new NpgsqlConnectionStringBuilder(_server) { Database = _name }.ConnectionString;
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        await new Migrator(DataSource, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None);
    }

    /// <summary>
    /// A data source of its own on this database, set up as the services set theirs up (<see cref="JobsDataSource"/>),
    /// for a test that needs particular connection settings; the caller disposes it.
    /// </summary>
    public NpgsqlDataSource CreateServiceDataSource(Action<NpgsqlConnectionStringBuilder> configure)
    {
        var builder = new NpgsqlDataSourceBuilder(ConnectionString);
        configure(builder.ConnectionStringBuilder);
        JobsDataSource.Configure(builder);
        return builder.Build();
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = NpgsqlDataSource.Create(_server);
        await admin.CreateCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)").ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] args)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var arg in args)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = arg });
        }
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql, params object[] args)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var arg in args)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = arg });
        }
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Waits until a session of this database waits for a lock (of the given kind, e.g. <c>advisory</c>).</summary>
    public async Task WaitUntilWaitingForLockAsync(string? waitEvent = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND ($1 = '' OR wait_event = $1)", waitEvent ?? "") == 0)
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}

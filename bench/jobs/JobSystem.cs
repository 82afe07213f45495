using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Npgsql;

namespace Bench.Jobs;

/// <summary>The AppHost's system (Postgres, Redis, one Api, N workers) started as the tests start it.</summary>
public sealed class JobSystem : IAsyncDisposable
{
    private JobSystem(DistributedApplication app, HttpClient api, NpgsqlDataSource db, string server, int workers)
    {
        App = app;
        Api = api;
        Db = db;
        ServerConnectionString = server;
        Workers = workers;
    }

    public DistributedApplication App { get; }
    public HttpClient Api { get; }
    public NpgsqlDataSource Db { get; }
    public string ServerConnectionString { get; }
    public int Workers { get; }

    /// <summary>How the results table names this system.</summary>
    public string Label => $"jobs ({Workers} workers)";

    public static async Task<JobSystem> StartAsync(BenchOptions options)
    {
        var key = "bench-" + Guid.NewGuid().ToString("N");
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            ["--AppHost:ApiReplicas=1", $"--AppHost:WorkerReplicas={options.Workers}"]);
        builder.Configuration["Parameters:api-key"] = key;
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            var resource = builder.CreateResourceBuilder(project)
                .WithEnvironment("Jobs__RateLimit__Enabled", "false")
                .WithEnvironment("Logging__LogLevel__Default", "Warning");
            if (options.Concurrency > 0)
            {
                resource.WithEnvironment("Jobs__Worker__Concurrency", options.Concurrency.ToString(CultureInfo.InvariantCulture))
                    .WithEnvironment("Jobs__Worker__ClaimBatchSize", options.Concurrency.ToString(CultureInfo.InvariantCulture));
            }
        }
        var app = await builder.BuildAsync();
        await app.StartAsync();
        await app.ResourceNotifications.WaitForResourceHealthyAsync("api");
        await app.ResourceNotifications.WaitForResourceHealthyAsync("worker");
        var api = app.CreateHttpClient("api");
        api.DefaultRequestHeaders.Add("X-API-Key", key);
        var jobsDb = (await app.GetConnectionStringAsync("jobsdb"))!;
        var db = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(jobsDb) { MaxPoolSize = 50 }.ConnectionString);
        var server = new NpgsqlConnectionStringBuilder(jobsDb) { Database = "postgres" }.ConnectionString;
        return new JobSystem(app, api, db, server, options.Workers);
    }

    public async Task<long> ScalarAsync(string sql, params object[] args)
    {
        await using var command = Db.CreateCommand(sql);
        foreach (var arg in args)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = arg });
        }
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await Db.DisposeAsync();
        await App.DisposeAsync();
    }
}

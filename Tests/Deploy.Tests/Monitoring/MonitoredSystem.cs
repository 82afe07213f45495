using Aspire.Hosting;
using Aspire.Hosting.Testing;

namespace Deploy.Tests.Monitoring;

/// <summary>
/// The whole app (AppHost testing builder: real PostgreSQL, Redis, one Api and two Workers), the two exporters, and a
/// real Prometheus running the repository's scrape configuration and alert rules against them, after about a minute
/// of scraping under traffic. Shared by the tests that query it.
/// </summary>
public sealed class MonitoredSystem : IAsyncLifetime
{
    public static readonly TimeSpan ScrapeInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan TrafficDuration = TimeSpan.FromSeconds(65);

    private readonly List<IAsyncDisposable> _servers = [];
    private DirectoryInfo _directory = null!;
    private DistributedApplication? _app;

    public string ApiKey { get; } = "deploy-tests-" + Guid.NewGuid().ToString("N");

    /// <summary>What the AppHost gives api and worker (Npgsql and StackExchange.Redis forms), for other processes to join.</summary>
    public IReadOnlyDictionary<string, string> ConnectionStrings { get; private set; } = null!;

    public PrometheusServer Prometheus { get; private set; } = null!;

    /// <summary>The instances Prometheus scrapes, by scrape job.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ScrapeConfig.Target>> Targets { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("deploy-tests-prometheus-");
        try
        {
            await StartAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var server in Enumerable.Reverse(_servers))
        {
            await server.DisposeAsync();
        }
        _servers.Clear();
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
        if (_directory.Exists)
        {
            _directory.Delete(recursive: true);
        }
    }

    private async Task StartAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        var ct = timeout.Token;

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(["--AppHost:WorkerReplicas=2"], ct);
        builder.Configuration["Parameters:api-key"] = ApiKey;
        _app = await builder.BuildAsync(ct);
        await _app.StartAsync(ct);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync("api", ct);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync("worker", ct);

        ConnectionStrings = new Dictionary<string, string>
        {
            ["jobsdb"] = await ConnectionStringAsync("jobsdb", ct),
            ["cache"] = await ConnectionStringAsync("cache", ct),
        };
        var postgres = await Exporters.StartPostgresAsync(ConnectionStrings["jobsdb"], _directory.FullName, ct);
        _servers.Add(postgres.Process);
        var redis = await Exporters.StartRedisAsync(ConnectionStrings["cache"], _directory.FullName, ct);
        _servers.Add(redis.Process);

        Targets = new Dictionary<string, IReadOnlyList<ScrapeConfig.Target>>
        {
            ["api"] = Instances("api"),
            ["worker"] = Instances("worker"),
            ["postgres"] = [new("postgres-exporter", postgres.Address)],
            ["redis"] = [new("redis-exporter", redis.Address)],
        };
        var credentials = Path.Combine(_directory.FullName, "api-key");
        await File.WriteAllTextAsync(credentials, ApiKey, ct);
        Prometheus = await PrometheusServer.StartAsync(_directory.FullName, ScrapeConfig.Create(Targets, credentials, ScrapeInterval), ct);
        _servers.Add(Prometheus);

        using var api = CreateApiClient();
        await Traffic.RunAsync(api, TrafficDuration, ct);
    }

    /// <summary>An HttpClient for the app's Api that sends the API key.</summary>
    public HttpClient CreateApiClient()
    {
        var api = _app!.CreateHttpClient("api");
        api.DefaultRequestHeaders.Add("X-API-Key", ApiKey);
        return api;
    }

    private async Task<string> ConnectionStringAsync(string resource, CancellationToken ct) =>
        await _app!.GetConnectionStringAsync(resource, ct) ?? throw new InvalidOperationException($"{resource} has no connection string.");

    /// <summary>Each replica's own address: the internal URL of its snapshot (the public one is the replica proxy).</summary>
    private List<ScrapeConfig.Target> Instances(string resource)
    {
        var instances = _app!.ResourceNotifications.GetCurrentStates()
            .Where(e => e.Resource.Name == resource)
            .Select(e =>
            {
                var urls = e.Snapshot.Urls.Where(u => u.Name == "http").ToList();
                var url = new Uri((urls.FirstOrDefault(u => u.IsInternal) ?? urls.First()).Url);
                return new ScrapeConfig.Target(e.ResourceId, url.Authority);
            })
            .OrderBy(t => t.Instance, StringComparer.Ordinal)
            .ToList();
        return instances.Count > 0 ? instances : throw new InvalidOperationException($"No running instance of {resource}.");
    }
}

using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Jobs.Contracts;
using Jobs.Model;
using Npgsql;

namespace Jobs.Tests.Infrastructure;

/// <summary>
/// The whole system started through the AppHost testing builder (real Postgres, Redis, Api and Worker processes),
/// tuned so the edge cases come fast: short leases, quick retries. One per test class or collection.
/// </summary>
public class JobsApp : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    public string ApiKey { get; } = "test-key-" + Guid.NewGuid().ToString("N");

    /// <summary>A hashed key configured with the <c>jobs:read</c> scope only.</summary>
    public string ReaderKey { get; } = "reader-key-" + Guid.NewGuid().ToString("N");

    public DistributedApplication App { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public NpgsqlDataSource Db { get; private set; } = null!;

    /// <summary>The Postgres server (no database) for tests that make their own databases.</summary>
    public string ServerConnectionString { get; private set; } = "";

    protected virtual int ApiReplicas => 1;

    protected virtual int WorkerReplicas => 2;

    /// <summary>Extra AppHost arguments, e.g. <c>--DisableDashboard=false</c>.</summary>
    protected virtual IEnumerable<string> AppHostArgs => [];

    /// <summary>Settings given to every Api and Worker replica.</summary>
    protected virtual Dictionary<string, string> Settings => new()
    {
        ["Auth__Keys__0__Name"] = "reader",
        ["Auth__Keys__0__Sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ReaderKey))),
        ["Auth__Keys__0__Scopes__0"] = "jobs:read",
        ["Jobs__Worker__LeaseDuration"] = "00:00:04",
        ["Jobs__Worker__HeartbeatInterval"] = "00:00:01",
        ["Jobs__Worker__RetryBaseDelay"] = "00:00:00.050",
        ["Jobs__Worker__RetryMaxDelay"] = "00:00:00.200",
        ["Jobs__Worker__ShutdownGrace"] = "00:00:05",
        ["Jobs__Worker__Timeouts__delay"] = "00:00:30",
        ["Jobs__Worker__Timeouts__agent"] = "00:00:05",
        ["Jobs__Maintenance__RescueInterval"] = "00:00:00.500",
        ["Jobs__Maintenance__PromoteInterval"] = "00:00:00.100",
        ["Jobs__Maintenance__ElectionInterval"] = "00:00:01",
        ["Jobs__RateLimit__PermitsPerSecond"] = "10000",
        ["Jobs__RateLimit__Burst"] = "10000",
    };

    public virtual async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [$"--AppHost:ApiReplicas={ApiReplicas}", $"--AppHost:WorkerReplicas={WorkerReplicas}", .. AppHostArgs], timeout.Token);
        builder.Configuration["Parameters:api-key"] = ApiKey;
        foreach (var project in builder.Resources.OfType<ProjectResource>().Where(p => p.Name is "api" or "worker"))
        {
            var resource = builder.CreateResourceBuilder(project);
            foreach (var (name, value) in Settings)
            {
                resource.WithEnvironment(name, value);
            }
        }
        App = await builder.BuildAsync(timeout.Token);
        await App.StartAsync(timeout.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("api", timeout.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("worker", timeout.Token);

        Api = ApiReplicas == 1 ? CreateApiClient("api") : await CreateReplicaClientAsync("api-0");
        var jobsDb = await App.GetConnectionStringAsync("jobsdb", timeout.Token);
        Db = NpgsqlDataSource.Create(jobsDb!);
        ServerConnectionString = new NpgsqlConnectionStringBuilder(jobsDb) { Database = "postgres" }.ConnectionString;
    }

    public HttpClient CreateApiClient(string resource, string? apiKey = null)
    {
        var client = App.CreateHttpClient(resource);
        client.DefaultRequestHeaders.Add("X-API-Key", apiKey ?? ApiKey);
        return client;
    }

    /// <summary>A client for one replica of a replicated resource, at the URL its snapshot reports.</summary>
    public async Task<HttpClient> CreateReplicaClientAsync(string replica)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var running = await App.ResourceNotifications.WaitForResourceAsync(replica, e => e.ResourceId == replica && !e.Snapshot.Urls.IsEmpty, timeout.Token);
        // Each replica lists the shared proxy URL and, marked internal, its own.
        var own = running.Snapshot.Urls.FirstOrDefault(u => u.IsInternal) ?? running.Snapshot.Urls[0];
        var client = new HttpClient { BaseAddress = new Uri(own.Url) };
        client.DefaultRequestHeaders.Add("X-API-Key", ApiKey);
        return client;
    }

    public virtual async Task DisposeAsync()
    {
        Api?.Dispose();
        if (Db is not null)
        {
            await Db.DisposeAsync();
        }
        if (App is not null)
        {
            await App.DisposeAsync();
        }
    }

    public async Task<JobRecord> EnqueueAsync(string type, object? input = null, int? maxAttempts = null, HttpClient? client = null)
    {
        using var response = await (client ?? Api).PostAsJsonAsync("/api/v1/jobs", new { type, input, maxAttempts });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JobRecord>(JobsJson.Options))!;
    }

    public async Task<JobRecord> GetAsync(Guid id)
    {
        using var response = await Api.GetAsync($"/api/v1/jobs/{id}");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JobRecord>(JobsJson.Options))!;
    }

    /// <summary>Follows the job's event stream until it reaches <paramref name="until"/>, and returns that state.</summary>
    public async Task<JobRecord> WaitForStateAsync(Guid id, Func<JobRecord, bool> until, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            try
            {
                await foreach (var (name, data) in ReadEventsAsync(id, cts.Token))
                {
                    if (name == "state" && data.Deserialize<JobRecord>(JobsJson.Options) is { } job && until(job))
                    {
                        return job;
                    }
                }
            }
            catch (HttpRequestException) when (!cts.IsCancellationRequested)
            {
                // The stream broke (e.g. the Api replica restarted); follow it again.
            }
            var current = await GetAsync(id);
            if (until(current))
            {
                return current;
            }
            cts.Token.ThrowIfCancellationRequested();
        }
    }

    public Task<JobRecord> WaitForFinishAsync(Guid id, TimeSpan? timeout = null) => WaitForStateAsync(id, j => JobState.IsFinished(j.State), timeout);

    public async IAsyncEnumerable<(string Event, JsonElement Data)> ReadEventsAsync(Guid id, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await Api.GetAsync($"/api/v1/jobs/{id}/events", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var item in System.Net.ServerSentEvents.SseParser.Create(stream).EnumerateAsync(cancellationToken))
        {
            using var document = JsonDocument.Parse(item.Data);
            yield return (item.EventType, document.RootElement.Clone());
        }
    }

    public async Task<int> ProcessIdAsync(string replica)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var running = await App.ResourceNotifications.WaitForResourceAsync(replica, e => e.ResourceId == replica && e.Snapshot.ProcessId is > 0, timeout.Token);
        return running.Snapshot.ProcessId!.Value;
    }
}

[CollectionDefinition(Name)]
public sealed class SharedAppCollection : ICollectionFixture<JobsApp>
{
    public const string Name = "shared app";
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Jobs.Model;
using Jobs.Tests.Infrastructure;

namespace Jobs.Tests.Resilience;

/// <summary>An app whose workers may call a local receiver, so a test can count side effects.</summary>
public sealed class LocalCallsApp : JobsApp
{
    protected override Dictionary<string, string> Settings => new(base.Settings)
    {
        ["Jobs__Outbound__AllowPrivateNetworks"] = "true",
    };
}

public sealed class WorkerFailureTests(LocalCallsApp app) : IClassFixture<LocalCallsApp>
{
    [Fact]
    public async Task Worker_killed_mid_job_has_the_job_completed_exactly_once_by_another_worker()
    {
        using var receiver = new CallCounter();
        var job = await app.EnqueueAsync("agent", new
        {
            steps = new object[] { new { tool = "sleep", input = 3000 }, new { tool = "http-get", input = receiver.Url } },
        });
        await app.WaitForStateAsync(job.Id, j => j.State == JobState.Running);
        var owner = await LeaseOwnerAsync(job.Id);

        Process.GetProcessById(int.Parse(owner.Split('/')[2])).Kill(); // SIGKILL: no shutdown, no release
        var done = await app.WaitForFinishAsync(job.Id, TimeSpan.FromSeconds(60));

        Assert.Equal(JobState.Succeeded, done.State);
        Assert.Equal(2, done.Attempt);
        Assert.Equal(1, receiver.Count);
    }

    [Fact]
    public async Task Worker_stopped_with_SIGTERM_loses_no_job()
    {
        var replica = "worker-1";
        var pid = await app.ProcessIdAsync(replica);
        var jobs = new List<JobRecord>();
        for (var i = 0; i < 20; i++)
        {
            jobs.Add(await app.EnqueueAsync("delay", new { ms = i == 0 ? 8000 : 700 }));
        }
        await app.WaitForStateAsync(jobs[0].Id, j => j.State == JobState.Running);

        await app.App.ResourceCommands.ExecuteCommandAsync(replica, "stop");
        var results = new List<JobRecord>();
        foreach (var job in jobs)
        {
            results.Add(await app.WaitForFinishAsync(job.Id, TimeSpan.FromSeconds(60)));
        }

        Assert.All(results, r => Assert.Equal(JobState.Succeeded, r.State));
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(pid));
        await app.App.ResourceCommands.ExecuteCommandAsync(replica, "start");
    }

    private async Task<string> LeaseOwnerAsync(Guid id)
    {
        await using var command = app.Db.CreateCommand("SELECT lease_owner FROM jobs WHERE id = $1");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = id });
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A loopback HTTP endpoint that counts the requests it gets.</summary>
    private sealed class CallCounter : IDisposable
    {
        private readonly HttpListener _listener = new();
        private int _count;

        public CallCounter()
        {
            var port = FreePort();
            Url = $"http://127.0.0.1:{port}/hit/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    try
                    {
                        var context = await _listener.GetContextAsync();
                        Interlocked.Increment(ref _count);
                        context.Response.StatusCode = 200;
                        context.Response.Close();
                    }
                    catch (HttpListenerException)
                    {
                        return;
                    }
                    catch (ObjectDisposedException)
                    {
                        return;
                    }
                }
            });
        }

        public string Url { get; }

        public int Count => Volatile.Read(ref _count);

        public void Dispose() => _listener.Close();

        private static int FreePort()
        {
            using var socket = new TcpListener(IPAddress.Loopback, 0);
            socket.Start();
            return ((IPEndPoint)socket.LocalEndpoint).Port;
        }
    }
}

using System.Buffers.Binary;
using System.Threading.Channels;
using Aspire.DashboardService.Proto.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Dashboard.Tests.Infrastructure;

// Stands in for the AppHost's resource service until the Hosting testing builder can start the
// real one: speaks the same gRPC contract (dashboard_service.proto) over HTTP/2 on loopback,
// with hand-written gRPC framing because only client stubs are generated here.
public sealed class FakeResourceService : IAsyncDisposable
{
    public const string ApiKey = "test-resource-service-key";
    private const string Prefix = "/aspire.v1.DashboardService/";
    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Resource> _resources = [];
    private readonly List<Channel<WatchResourcesUpdate>> _watchers = [];
    private readonly List<ConsoleLogLine> _consoleLines = [];
    private readonly List<Channel<ConsoleLogLine>> _consoleWatchers = [];

    private FakeResourceService(WebApplication app, int port)
    {
        _app = app;
        Url = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Url { get; }
    public List<string> ExecutedCommands { get; } = [];

    public static async Task<FakeResourceService> StartAsync()
    {
        var port = DashboardProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, l => l.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        var service = new FakeResourceService(app, port);
        foreach (var resource in new[] { ("api", "Project", "api"), ("worker-0", "Project", "worker"), ("worker-1", "Project", "worker"), ("postgres", "Postgres", "postgres"), ("cache", "Redis", "cache") })
        {
            service._resources[resource.Item1] = Running(resource.Item1, resource.Item2, resource.Item3);
        }

        app.MapPost(Prefix + "{method}", service.HandleAsync);
        await app.StartAsync();
        return service;
    }

    public void WriteConsoleLine(string text, bool isStdErr = false)
    {
        lock (_lock)
        {
            var line = new ConsoleLogLine { Text = $"{DateTime.UtcNow:O} {text}", IsStdErr = isStdErr, LineNumber = _consoleLines.Count + 1 };
            _consoleLines.Add(line);
            foreach (var watcher in _consoleWatchers)
            {
                watcher.Writer.TryWrite(line);
            }
        }
    }

    private static Resource Running(string name, string type, string displayName) => new()
    {
        Name = name,
        DisplayName = displayName,
        ResourceType = type,
        Uid = name,
        State = "Running",
        HealthStatus = HealthStatus.Healthy,
        StartedAt = Timestamp.FromDateTime(DateTime.UtcNow.AddMinutes(-1)),
        ReplicaCount = displayName == "worker" ? 2 : 1,
        Urls = { name == "api" ? [new Url { EndpointName = "http", FullUrl = "http://localhost:5080" }] : Array.Empty<Url>() },
        Environment =
        {
            new EnvironmentVariable { Name = "ConnectionStrings__jobsdb", Value = "Host=localhost;Password=s3cret-password", IsFromSpec = true },
            new EnvironmentVariable { Name = "OTEL_SERVICE_NAME", Value = displayName, IsFromSpec = true },
        },
        Commands =
        {
            new ResourceCommand { Name = "stop", DisplayName = "Stop", State = ResourceCommandState.Enabled },
            new ResourceCommand { Name = "start", DisplayName = "Start", State = ResourceCommandState.Disabled },
            new ResourceCommand { Name = "restart", DisplayName = "Restart", State = ResourceCommandState.Enabled },
        },
    };

    private async Task HandleAsync(HttpContext context, string method)
    {
        if (context.Request.Headers["x-resource-service-api-key"] != ApiKey)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var body = await ReadMessageAsync(context.Request.Body, context.RequestAborted);
        context.Response.ContentType = "application/grpc";
        context.Response.AppendTrailer("grpc-status", "0");
        try
        {
            switch (method)
            {
                case "GetApplicationInformation":
                    await WriteAsync(context, new ApplicationInformationResponse { ApplicationName = "TestHost" });
                    break;
                case "ExecuteResourceCommand":
                    await WriteAsync(context, Execute(ResourceCommandRequest.Parser.ParseFrom(body)));
                    break;
                case "WatchResources":
                    await StreamResourcesAsync(context);
                    break;
                case "WatchResourceConsoleLogs":
                    await StreamConsoleAsync(context);
                    break;
                default:
                    context.Response.Headers["grpc-status"] = "12";
                    break;
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The dashboard went away.
        }
    }

    private ResourceCommandResponse Execute(ResourceCommandRequest request)
    {
        lock (_lock)
        {
            ExecutedCommands.Add($"{request.CommandName} {request.ResourceName}");
            var resource = _resources[request.ResourceName].Clone();
            var running = request.CommandName != "stop";
            resource.State = running ? "Running" : "Exited";
            resource.ExitCode = running ? 0 : 143;
            resource.Commands[0].State = running ? ResourceCommandState.Enabled : ResourceCommandState.Disabled;
            resource.Commands[1].State = running ? ResourceCommandState.Disabled : ResourceCommandState.Enabled;
            _resources[resource.Name] = resource;
            var update = new WatchResourcesUpdate { Changes = new WatchResourcesChanges { Value = { new WatchResourcesChange { Upsert = resource } } } };
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryWrite(update);
            }
        }

        return new ResourceCommandResponse { Kind = ResourceCommandResponseKind.Succeeded };
    }

    private async Task StreamResourcesAsync(HttpContext context)
    {
        var channel = Channel.CreateUnbounded<WatchResourcesUpdate>();
        lock (_lock)
        {
            channel.Writer.TryWrite(new WatchResourcesUpdate { InitialData = new InitialResourceData { Resources = { _resources.Values } } });
            _watchers.Add(channel);
        }

        await foreach (var update in channel.Reader.ReadAllAsync(context.RequestAborted))
        {
            await WriteAsync(context, update);
        }
    }

    private async Task StreamConsoleAsync(HttpContext context)
    {
        var channel = Channel.CreateUnbounded<ConsoleLogLine>();
        lock (_lock)
        {
            foreach (var line in _consoleLines)
            {
                channel.Writer.TryWrite(line);
            }

            _consoleWatchers.Add(channel);
        }

        await foreach (var line in channel.Reader.ReadAllAsync(context.RequestAborted))
        {
            await WriteAsync(context, new WatchResourceConsoleLogsUpdate { LogLines = { line } });
        }
    }

    private static async Task<byte[]> ReadMessageAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, cancellationToken);
        var bytes = buffer.ToArray();
        return bytes.Length < 5 ? [] : bytes[5..(5 + BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1)))];
    }

    private static async Task WriteAsync(HttpContext context, IMessage message)
    {
        var payload = message.ToByteArray();
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), payload.Length);
        payload.CopyTo(frame, 5);
        await context.Response.Body.WriteAsync(frame, context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryComplete();
            }

            foreach (var watcher in _consoleWatchers)
            {
                watcher.Writer.TryComplete();
            }
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

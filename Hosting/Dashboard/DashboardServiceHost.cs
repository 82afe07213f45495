using System.Security.Cryptography;
using System.Text;
using Aspire.Hosting.ApplicationModel;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting.Dashboard;

/// <summary>
/// Serves the resource service over plain HTTP/2 on loopback (a Kestrel server of its own inside the AppHost), only
/// when the model has a dashboard. Starts before the orchestrator so the dashboard can be told its address.
/// </summary>
internal sealed class DashboardServiceHost(
    DistributedApplicationModel model,
    ResourceServiceOptions options,
    ResourceNotificationService notifications,
    ResourceLoggerService logs,
    ResourceCommandService commands,
    IHostEnvironment environment,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>Where the service listens, once started.</summary>
    public Uri? Url { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!model.Resources.Any(r => r.Name == DashboardResourceBuilder.ResourceName))
        {
            return;
        }

        var endpoint = options.EndpointUrl is { } url ? new Uri(url) : new Uri("http://localhost:0");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = environment.ApplicationName, EnvironmentName = environment.EnvironmentName });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.UseUrls($"http://127.0.0.1:{endpoint.Port}");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddSingleton(notifications).AddSingleton(logs).AddSingleton(commands).AddSingleton(lifetime).AddSingleton(options);
        builder.Services.AddGrpc(grpc => grpc.Interceptors.Add<ApiKeyInterceptor>());

        _app = builder.Build();
        _app.MapGrpcService<DashboardService>();
        await _app.StartAsync(cancellationToken);

        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Url = new Uri(address.Replace("127.0.0.1", "localhost", StringComparison.Ordinal));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>Rejects calls without the resource service API key (compared in constant time).</summary>
    private sealed class ApiKeyInterceptor(ResourceServiceOptions options) : Interceptor
    {
        public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        {
            Authenticate(context);
            return continuation(request, context);
        }

        public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
            ServerStreamingServerMethod<TRequest, TResponse> continuation)
        {
            Authenticate(context);
            return continuation(request, responseStream, context);
        }

        private void Authenticate(ServerCallContext context)
        {
            if (options.IsUnsecured)
            {
                return;
            }

            var presented = context.RequestHeaders.GetValue(ResourceServiceOptions.ApiKeyHeader) ?? "";
            if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(options.ApiKey))))
            {
                throw new RpcException(new Status(StatusCode.Unauthenticated, $"A valid '{ResourceServiceOptions.ApiKeyHeader}' header is required."));
            }
        }
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ServiceDefaults.Tests.Infrastructure;

/// <summary>
/// A real ASP.NET Core service with ServiceDefaults on real Kestrel at 127.0.0.1 on a free port, reached over real HTTP.
/// </summary>
internal sealed class TestService : IAsyncDisposable
{
    public const string ApiKey = "test-key-0123456789abcdefghij";

    private TestService(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
        // An outside client: no trace context of the test process leaks into the service's traces.
        Http = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = baseAddress };
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => App.Services;

    public static async Task<TestService> StartAsync(
        Action<WebApplication>? map = null,
        IDictionary<string, string?>? configuration = null,
        string environment = "Production",
        Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = environment,
            ApplicationName = "ServiceDefaults.Tests",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:ApiKeys:0"] = ApiKey,
            ["OTEL_SERVICE_NAME"] = "test-service",
        });
        if (configuration is not null)
        {
            builder.Configuration.AddInMemoryCollection(configuration);
        }
        builder.AddServiceDefaults();
        // After the defaults, as in a real service: exporters added here see what real exporters would see.
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        (map ?? TestEndpoints.Map)(app);
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new TestService(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Playwright;

namespace Dashboard.Tests.EndToEnd;

// The whole system started the Aspire way, dashboard included: Api, two Worker replicas, Postgres,
// Redis and the dashboard fed by the AppHost's resource service and every service's OTLP exporter.
public sealed class FullAppFixture : IAsyncLifetime
{
    public const string ApiKey = "dashboard-e2e-api-key-0123456789";
    public const string BrowserToken = "dashboard-e2e-browser-token-42";
    public const string DashboardApiKey = "dashboard-e2e-dashboard-api-key-7";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private IPlaywright? _playwright;

    public DistributedApplication App { get; private set; } = null!;
    public Uri DashboardUrl { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(["--DisableDashboard=false"], timeout.Token);
        builder.Configuration["Parameters:api-key"] = ApiKey;
        builder.Configuration["AppHost:BrowserToken"] = BrowserToken;
        builder.Configuration["AppHost:DashboardApiKey"] = DashboardApiKey;
        App = await builder.BuildAsync(timeout.Token);
        await App.StartAsync(timeout.Token);
        foreach (var resource in new[] { "aspire-dashboard", "api", "worker" })
        {
            try
            {
                await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{resource} did not become healthy within {StartTimeout}.");
            }
        }

        DashboardUrl = App.GetEndpoint("aspire-dashboard", "http");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }
    }

    public HttpClient CreateApiClient()
    {
        var client = App.CreateHttpClient("api");
        client.DefaultRequestHeaders.Add("X-API-Key", ApiKey);
        return client;
    }

    public HttpClient CreateDashboardApiClient()
    {
        var client = new HttpClient { BaseAddress = DashboardUrl };
        client.DefaultRequestHeaders.Add("x-api-key", DashboardApiKey);
        return client;
    }

    // Services export every second in Development; poll the dashboard's API until the telemetry is there.
    public async Task<JsonElement> WaitForDashboardAsync(string path, Func<JsonElement, bool> condition)
    {
        using var client = CreateDashboardApiClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await client.GetAsync(path);
            if (response.IsSuccessStatusCode)
            {
                last = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (condition(last))
                {
                    return last;
                }
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{path} never satisfied the condition; last answer: {last}");
    }

    public async Task<IPage> LoggedInPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(DashboardUrl, $"/login?t={BrowserToken}").ToString());
        await page.Locator("main[data-interactive=true]").WaitForAsync();
        return page;
    }

    public async Task OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(new Uri(DashboardUrl, path).ToString());
        await page.Locator("main[data-interactive=true]").WaitForAsync();
    }
}

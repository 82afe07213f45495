using System.Net;
using Dashboard.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.Tests.EndToEnd;

// Real Chromium against a real dashboard process; each page is saved as a screenshot in TestResults/screenshots.
public class BrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Without_the_token_pages_go_to_login_and_a_wrong_token_gets_no_hint()
    {
        var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(fixture.Url("/login?t=not-the-token"));
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That token was not accepted.");
        await page.GotoAsync(fixture.Url("/traces"));
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login\\?ReturnUrl=%2Ftraces$"));
        await page.FillAsync("#token", "still-not-the-token");
        await page.ClickAsync("button[type=submit]");
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That token was not accepted.");
        Assert.DoesNotContain(DashboardFixture.BrowserToken, await page.ContentAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Screenshot("login") });

        await page.FillAsync("#token", DashboardFixture.BrowserToken);
        await page.ClickAsync("button[type=submit]");
        await Expect(page).ToHaveURLAsync(fixture.Url("/traces"));
        await context.CloseAsync();
    }

    [Fact]
    public async Task Resources_show_state_endpoints_and_masked_environment_and_stop_goes_through_the_resource_service()
    {
        var page = await fixture.LoggedInPageAsync();
        var resources = page.Locator("#resources");

        foreach (var name in new[] { "api", "worker-0", "worker-1", "postgres", "cache" })
        {
            await Expect(resources.Locator($"tr[data-resource='{name}'] .state")).ToHaveTextAsync("Running");
        }

        await Expect(resources.Locator("tr[data-resource='api'] a[href='http://localhost:5080']")).ToBeVisibleAsync();
        await resources.Locator("tr[data-resource='api'] button.link").ClickAsync();
        await Expect(page.Locator(".resource-details")).ToContainTextAsync("ConnectionStrings__jobsdb");
        Assert.DoesNotContain("s3cret-password", await page.Locator(".resource-details").InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Screenshot("resources"), FullPage = true });
        await page.Locator("[data-action=reveal]").ClickAsync();
        await Expect(page.Locator(".resource-details")).ToContainTextAsync("s3cret-password");

        await resources.Locator("tr[data-resource='worker-1'] [data-command=stop]").ClickAsync();

        await Expect(resources.Locator("tr[data-resource='worker-1'] .state")).ToHaveTextAsync("Exited");
        Assert.Contains("stop worker-1", fixture.ResourceService.ExecutedCommands);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Console_logs_stream_live_with_ansi_colours_and_timestamps()
    {
        var page = await fixture.LoggedInPageAsync();

        await fixture.OpenAsync(page, "/consolelogs/api");
        var console = page.Locator("#console-log");
        await Expect(console).ToContainTextAsync("Now listening on: http://localhost:5080");
        await Expect(console.Locator(".ansi-green")).ToHaveTextAsync("info");
        await Expect(console.Locator(".timestamp").First).ToBeVisibleAsync();

        fixture.ResourceService.WriteConsoleLine("\u001b[31mfail\u001b[0m: something broke", isStdErr: true);

        await Expect(console.Locator(".stderr .ansi-red")).ToHaveTextAsync("fail");
        await page.ScreenshotAsync(new() { Path = Screenshot("console-logs") });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Structured_logs_are_found_by_request_id_and_show_every_attribute()
    {
        var page = await fixture.LoggedInPageAsync();

        await fixture.OpenAsync(page, "/structuredlogs");
        await page.FillAsync("#log-filter", BrowserFixture.RequestId);
        await page.PressAsync("#log-filter", "Enter");

        var rows = page.Locator("#logs tbody tr[data-log-id]");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(page.Locator("#logs")).Not.ToContainTextAsync("Health check passed");
        await rows.Filter(new() { HasText = "accepted" }).ClickAsync();
        var details = page.Locator("#log-details");
        await Expect(details).ToContainTextAsync(BrowserFixture.RequestId);
        await Expect(details).ToContainTextAsync("job-42");
        await page.ScreenshotAsync(new() { Path = Screenshot("structured-logs") });

        await details.GetByRole(AriaRole.Link, new() { Name = "View trace" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(fixture.Url($"/traces/{BrowserFixture.JobTraceId}"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_trace_spans_api_and_worker_with_the_steps_in_its_waterfall()
    {
        var page = await fixture.LoggedInPageAsync();

        await fixture.OpenAsync(page, "/traces");
        var row = page.Locator($"#traces tr[data-trace-id='{BrowserFixture.JobTraceId}']");
        await Expect(row).ToContainTextAsync("api: POST /api/v1/jobs");
        await Expect(row).ToContainTextAsync("api, worker-0");
        await Expect(row).ToContainTextAsync("6");
        await Expect(row.Locator(".state")).ToHaveTextAsync("Error");
        await page.ScreenshotAsync(new() { Path = Screenshot("traces") });

        await row.GetByRole(AriaRole.Link).First.ClickAsync();
        var waterfall = page.Locator("#waterfall");
        await Expect(waterfall.Locator(".span-name")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex[]
        {
            new("api\\s+POST /api/v1/jobs"), new("api\\s+jobs enqueue"), new("worker-0\\s+jobs run agent"),
            new("worker-0\\s+step 1 echo"), new("worker-0\\s+step 2 uppercase"), new("worker-0\\s+step 3 http-get"),
        });
        await waterfall.Locator("[data-span-id]").Filter(new() { HasText = "step 3" }).ClickAsync();
        var details = page.Locator("#span-details");
        await Expect(details).ToContainTextAsync("host not allowed");
        await Expect(details.Locator(".span-event.exception")).ToContainTextAsync("HttpRequestException");
        await page.ScreenshotAsync(new() { Path = Screenshot("trace-detail"), FullPage = true });

        await details.GetByRole(AriaRole.Link, new() { Name = "View the trace's logs" }).ClickAsync();
        await Expect(page.Locator("#logs tbody tr[data-log-id]")).ToHaveCountAsync(2);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Metrics_chart_the_jobs_completed_counter_per_series_filtered_by_attribute()
    {
        var page = await fixture.LoggedInPageAsync();

        await fixture.OpenAsync(page, "/metrics?resource=worker-0");
        await page.Locator("[data-instrument='jobs.completed']").ClickAsync();
        await Expect(page.Locator("#instrument-name")).ToHaveTextAsync("jobs.completed");
        var chart = page.Locator("#metric-chart");
        await Expect(chart.Locator("canvas")).ToBeVisibleAsync();
        Assert.True(int.Parse(await chart.GetAttributeAsync("data-points") ?? "0", System.Globalization.CultureInfo.InvariantCulture) > 0);
        await Expect(page.Locator("#metric-values tbody tr")).ToHaveCountAsync(2);
        // One rate line per attribute set (uPlot's legend lists the x axis first).
        var legend = chart.Locator(".u-legend .u-series");
        await Expect(legend).ToHaveCountAsync(3);
        await Expect(legend.Nth(1)).ToContainTextAsync("job.type=agent,outcome=failed");
        await Expect(legend.Nth(2)).ToContainTextAsync("job.type=agent,outcome=succeeded");

        await page.Locator("select[data-attribute='outcome']").SelectOptionAsync("succeeded");

        await Expect(page.Locator("#metric-values tbody tr")).ToHaveCountAsync(1);
        await Expect(legend).ToHaveCountAsync(2);
        await Expect(legend.Nth(1)).ToContainTextAsync("outcome=succeeded");
        await Expect(page.Locator("#metric-values")).ToContainTextAsync("10");
        await page.ScreenshotAsync(new() { Path = Screenshot("metrics"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Unknown_ids_and_pages_show_not_found()
    {
        var page = await fixture.LoggedInPageAsync();

        await fixture.OpenAsync(page, $"/traces/{TestData.TraceId(0xdead)}");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Not found");
        await page.ScreenshotAsync(new() { Path = Screenshot("not-found") });
        var response = await page.GotoAsync(fixture.Url("/no-such-page"));

        Assert.Equal((int)HttpStatusCode.NotFound, response!.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Not found");
        await page.Context.CloseAsync();
    }

    private static string Screenshot(string name) => Path.Combine(TestPaths.Screenshots, name + ".png");
}

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dashboard.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.Tests.EndToEnd;

// Submits an agent job to the real system and follows it through every page of the dashboard.
public class FullAppTests(FullAppFixture fixture) : IClassFixture<FullAppFixture>
{
    [Fact]
    public async Task An_agent_job_is_visible_in_resources_console_logs_structured_logs_traces_and_metrics()
    {
        using var api = fixture.CreateApiClient();
        using var submitted = await api.PostAsJsonAsync("/api/v1/jobs", new
        {
            type = "agent",
            input = new { steps = new object[] { new { tool = "echo", input = "hello dashboard" }, new { tool = "uppercase" }, new { tool = "hash" } } },
        });
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var requestId = submitted.Headers.GetValues("X-Request-ID").Single();
        var jobId = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await WaitForJobAsync(api, jobId);

        // The trace spans the api and a worker, with one span per step.
        static bool SpansApiAndWorker(JsonElement summary)
        {
            var names = summary.GetProperty("resources").EnumerateArray().Select(r => r.GetString()!).ToList();
            return names.Contains("api") && names.Any(n => n.StartsWith("worker-", StringComparison.Ordinal));
        }

        // The job id also appears in the result polls' URLs; the job's own trace is the one that reaches a worker.
        var traces = await fixture.WaitForDashboardAsync($"/api/v1/traces?text={jobId}", t => t.GetProperty("items").EnumerateArray().Any(SpansApiAndWorker));
        var traceId = traces.GetProperty("items").EnumerateArray().First(SpansApiAndWorker).GetProperty("traceId").GetString()!;
        var trace = await fixture.WaitForDashboardAsync($"/api/v1/traces/{traceId}",
            t => t.GetProperty("spans").EnumerateArray().Count(s => s.GetProperty("name").GetString()!.StartsWith("step ", StringComparison.Ordinal)) == 3);
        var worker = trace.GetProperty("resources").EnumerateArray().Select(r => r.GetString()!).First(r => r.StartsWith("worker-", StringComparison.Ordinal));
        await fixture.WaitForDashboardAsync($"/api/v1/logs?text={requestId}", l => l.GetProperty("total").GetInt32() > 0);
        await fixture.WaitForDashboardAsync($"/api/v1/metrics?resource={worker}&name=jobs.completed",
            m => m.GetProperty("rates").GetArrayLength() > 0);

        var page = await fixture.LoggedInPageAsync();
        var resources = page.Locator("#resources");
        foreach (var name in new[] { "api", "worker-0", "worker-1", "postgres", "cache" })
        {
            await Expect(resources.Locator($"tr[data-resource='{name}'] .state")).ToHaveTextAsync("Running", new() { Timeout = 30_000 });
        }

        await page.ScreenshotAsync(new() { Path = Screenshot("app-resources"), FullPage = true });

        await fixture.OpenAsync(page, "/consolelogs/api");
        await Expect(page.Locator("#console-log .console-line").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await page.ScreenshotAsync(new() { Path = Screenshot("app-console-logs") });

        await fixture.OpenAsync(page, $"/structuredlogs?text={Uri.EscapeDataString(requestId)}");
        await Expect(page.Locator("#logs tbody tr[data-log-id]").First).ToBeVisibleAsync();
        await page.Locator("#logs tbody tr[data-log-id]").First.ClickAsync();
        await Expect(page.Locator("#log-details")).ToContainTextAsync(requestId);
        await page.ScreenshotAsync(new() { Path = Screenshot("app-structured-logs") });

        await fixture.OpenAsync(page, $"/traces/{traceId}");
        var spans = page.Locator("#waterfall .span-name");
        await Expect(spans.Filter(new() { HasText = "step " })).ToHaveCountAsync(3);
        await Expect(page.Locator("#waterfall .resource-tag").Filter(new() { HasText = "api" }).First).ToBeVisibleAsync();
        await Expect(page.Locator("#waterfall .resource-tag").Filter(new() { HasText = worker })).Not.ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Screenshot("app-trace"), FullPage = true });

        await fixture.OpenAsync(page, $"/metrics?resource={worker}&meter=Jobs&instrument=jobs.completed");
        await Expect(page.Locator("#metric-chart canvas")).ToBeVisibleAsync();
        var points = int.Parse(await page.Locator("#metric-chart").GetAttributeAsync("data-points") ?? "0", CultureInfo.InvariantCulture);
        Assert.True(points > 0, "The jobs.completed chart has no point.");
        await page.ScreenshotAsync(new() { Path = Screenshot("app-metrics"), FullPage = true });
        await page.Context.CloseAsync();
    }

    private static async Task WaitForJobAsync(HttpClient api, string jobId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await api.GetAsync($"/api/v1/jobs/{jobId}/result");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var result = await response.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Equal("succeeded", result.GetProperty("state").GetString());
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Job {jobId} did not finish.");
    }

    private static string Screenshot(string name) => Path.Combine(TestPaths.Screenshots, name + ".png");
}

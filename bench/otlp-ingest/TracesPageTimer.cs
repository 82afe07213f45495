using System.Diagnostics;
using Microsoft.Playwright;

namespace OtlpIngest;

// Time from navigating to /traces to the list showing its count and first rows, in system Chromium.
internal static class TracesPageTimer
{
    public static async Task<IReadOnlyList<TimeSpan>> MeasureAsync(Uri frontend, string token, int expectedTraces, int runs)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        await page.GotoAsync(new Uri(frontend, $"/login?t={token}").ToString());

        var times = new List<TimeSpan>();
        for (var run = 0; run < runs; run++)
        {
            var watch = Stopwatch.StartNew();
            await page.GotoAsync(new Uri(frontend, "/traces").ToString());
            await Assertions.Expect(page.Locator("#trace-count")).ToHaveTextAsync($"{expectedTraces} traces", new() { Timeout = 30_000 });
            await page.Locator("#traces tbody tr[data-trace-id]").First.WaitForAsync();
            times.Add(watch.Elapsed);
        }

        return times;
    }
}

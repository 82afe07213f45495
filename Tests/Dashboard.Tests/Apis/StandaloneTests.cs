using System.Net;
using System.Text.RegularExpressions;
using Dashboard.Tests.Infrastructure;
using Google.Protobuf;

namespace Dashboard.Tests.Apis;

// `dotnet run --project Dashboard` with no configuration: a generated token, open OTLP, no resource service.
public partial class StandaloneTests
{
    [Fact]
    public async Task Without_configuration_it_generates_and_logs_a_login_link_and_lists_reporting_services()
    {
        await using var dashboard = await DashboardProcess.StartAsync(new Dictionary<string, string?>());
        var link = await WaitForLoginLinkAsync(dashboard);
        using var otlp = new HttpClient { BaseAddress = dashboard.OtlpHttpUrl };
        using var content = new ByteArrayContent(TestData.Logs(TestData.Resource("standalone-app"), TestData.Log("hello")).ToByteArray());
        content.Headers.ContentType = new("application/x-protobuf");

        using var exported = await otlp.PostAsync("/v1/logs", content);
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies });
        using var login = await browser.GetAsync(link);
        using var resources = await browser.GetAsync(new Uri(dashboard.FrontendUrl, "/api/v1/resources"));
        using var anonymous = new HttpClient { BaseAddress = dashboard.FrontendUrl };

        Assert.Equal(HttpStatusCode.OK, exported.StatusCode);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("\"name\":\"standalone-app\"", await resources.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/logs")).StatusCode);
    }

    private static async Task<Uri> WaitForLoginLinkAsync(DashboardProcess dashboard)
    {
        for (var i = 0; i < 100; i++)
        {
            if (LoginLink().Match(dashboard.Output) is { Success: true } match)
            {
                return new Uri(match.Value);
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No login link in the output:\n{dashboard.Output}");
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/login\?t=[0-9a-f]{32}")]
    private static partial Regex LoginLink();
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dashboard.Tests.Infrastructure;
using Google.Protobuf;

namespace Dashboard.Tests.Apis;

public class AuthAndApiTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task Without_credentials_pages_redirect_to_login_and_the_api_answers_401()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.Dashboard.FrontendUrl };

        foreach (var page in new[] { "/", "/traces", "/structuredlogs", "/metrics", "/consolelogs" })
        {
            using var response = await http.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        foreach (var api in new[] { "/api/v1/resources", "/api/v1/logs", "/api/v1/traces", "/api/v1/traces/abc", "/api/v1/metrics" })
        {
            using var response = await http.GetAsync(api);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var wrongKey = new HttpRequestMessage(HttpMethod.Get, "/api/v1/logs");
        wrongKey.Headers.Add("x-api-key", "nope");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrongKey)).StatusCode);
    }

    [Fact]
    public async Task The_login_link_sets_a_cookie_that_opens_pages_and_the_api()
    {
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = fixture.Dashboard.FrontendUrl };

        using var wrong = await http.GetAsync("/login?t=wrong-token");
        var wrongPage = await wrong.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("not accepted", wrongPage, StringComparison.Ordinal);
        Assert.DoesNotContain(DashboardFixture.BrowserToken, wrongPage, StringComparison.Ordinal);
        Assert.DoesNotContain(cookies.GetCookies(fixture.Dashboard.FrontendUrl), c => c.Name == ".Aspire.Dashboard.Auth");

        using var login = await http.GetAsync($"/login?t={DashboardFixture.BrowserToken}");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/", login.Headers.Location!.OriginalString.Replace(fixture.Dashboard.FrontendUrl.ToString().TrimEnd('/'), "", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/traces")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/traces")).StatusCode);
    }

    [Fact]
    public async Task The_api_filters_logs_and_traces_and_validates_its_parameters()
    {
        using var otlp = new HttpClient { BaseAddress = fixture.Dashboard.OtlpHttpUrl };
        otlp.DefaultRequestHeaders.Add("x-otlp-api-key", DashboardFixture.OtlpApiKey);
        var error = TestData.Log("payment failed", OpenTelemetry.Proto.Logs.V1.SeverityNumber.Error);
        error.Attributes.Add(TestData.Attr("order", "api-filter-77"));
        var failedSpan = TestData.Span(TestData.TraceId(0xf1), TestData.SpanId(1), name: "pay", durationMs: 250);
        failedSpan.Status = new OpenTelemetry.Proto.Trace.V1.Status { Code = OpenTelemetry.Proto.Trace.V1.Status.Types.StatusCode.Error };
        await PostAsync(otlp, "/v1/logs", TestData.Logs(TestData.Resource("billing", "billing"), error, TestData.Log("payment started")));
        await PostAsync(otlp, "/v1/traces", TestData.Traces(TestData.Resource("billing", "billing"), failedSpan, TestData.Span(TestData.TraceId(0xf2), TestData.SpanId(2), name: "refund", durationMs: 5)));
        using var api = fixture.CreateApiClient();

        var logs = await api.GetFromJsonAsync<JsonElement>("/api/v1/logs?resource=billing&level=Error&text=api-filter-77");
        var traces = await api.GetFromJsonAsync<JsonElement>("/api/v1/traces?resource=billing&status=error&minDurationMs=100");
        var resources = await api.GetFromJsonAsync<JsonElement>("/api/v1/resources");
        using var badLevel = await api.GetAsync("/api/v1/logs?level=loud");
        using var badLimit = await api.GetAsync("/api/v1/traces?limit=0");
        using var unknownTrace = await api.GetAsync($"/api/v1/traces/{TestData.TraceId(0xf3)}");
        using var unknownInstrument = await api.GetAsync("/api/v1/metrics?name=nope");

        Assert.Equal("payment failed", Assert.Single(logs.GetProperty("items").EnumerateArray()).GetProperty("message").GetString());
        Assert.Equal(TestData.TraceId(0xf1), Assert.Single(traces.GetProperty("items").EnumerateArray()).GetProperty("traceId").GetString());
        Assert.Contains(resources.EnumerateArray(), r => r.GetProperty("name").GetString() == "billing");
        // ServiceDefaults' convention: a request that parses but has invalid values is 422.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badLevel.StatusCode);
        Assert.Contains("level", await badLevel.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badLimit.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownTrace.StatusCode);
        Assert.Equal("application/problem+json", unknownTrace.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, unknownInstrument.StatusCode);
    }

    private static async Task PostAsync(HttpClient http, string path, IMessage message)
    {
        using var content = new ByteArrayContent(message.ToByteArray());
        content.Headers.ContentType = new("application/x-protobuf");
        (await http.PostAsync(path, content)).EnsureSuccessStatusCode();
    }
}

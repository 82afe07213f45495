using Dashboard.Tests.Infrastructure;
using Google.Protobuf;
using Microsoft.Playwright;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace Dashboard.Tests.EndToEnd;

// A secured dashboard connected to a resource service, seeded with the telemetry of one job,
// and a system Chromium driven by Playwright.
public sealed class BrowserFixture : DashboardFixture
{
    public const string RequestId = "0HN7REQ000042";
    public static readonly string JobTraceId = TestData.TraceId(0x10b);

    private IPlaywright? _playwright;

    public FakeResourceService ResourceService { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = ResourceService.Url.ToString(),
        ["DASHBOARD__RESOURCESERVICECLIENT__AUTHMODE"] = "ApiKey",
        ["DASHBOARD__RESOURCESERVICECLIENT__APIKEY"] = FakeResourceService.ApiKey,
    };

    public override async Task InitializeAsync()
    {
        ResourceService = await FakeResourceService.StartAsync();
        ResourceService.WriteConsoleLine("\u001b[32minfo\u001b[0m: Now listening on: http://localhost:5080");
        await base.InitializeAsync();
        await SeedAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public override async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await base.DisposeAsync();
        await ResourceService.DisposeAsync();
    }

    public async Task<IPage> LoggedInPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(Dashboard.FrontendUrl, $"/login?t={BrowserToken}").ToString());
        await page.WaitForURLAsync(new Uri(Dashboard.FrontendUrl, "/").ToString());
        await page.Locator("main[data-interactive=true]").WaitForAsync();
        return page;
    }

    public string Url(string path) => new Uri(Dashboard.FrontendUrl, path).ToString();

    // Navigates and waits until the page is live over its Blazor circuit, so typing and clicks reach it.
    public async Task<IResponse?> OpenAsync(IPage page, string path)
    {
        var response = await page.GotoAsync(Url(path));
        await page.Locator("main[data-interactive=true]").WaitForAsync();
        return response;
    }

    // The telemetry a submitted agent job leaves: a request on the api, the run and its steps on a worker.
    private async Task SeedAsync()
    {
        var now = DateTime.UtcNow;
        ulong At(int ms) => TestData.Nanos(now.AddMilliseconds(ms));
        Span SpanAt(string id, string? parent, string name, Span.Types.SpanKind kind, int start, int duration, params KeyValue[] attributes)
        {
            var span = TestData.Span(JobTraceId, id, parent, name);
            span.Kind = kind;
            span.StartTimeUnixNano = At(start);
            span.EndTimeUnixNano = At(start + duration);
            span.Attributes.Add(attributes);
            return span;
        }

        var api = TestData.Resource("api", "api");
        var worker = TestData.Resource("worker", "worker-0");
        using var http = new HttpClient { BaseAddress = Dashboard.OtlpHttpUrl };
        http.DefaultRequestHeaders.Add("x-otlp-api-key", OtlpApiKey);
        async Task PostAsync(string path, IMessage message)
        {
            using var content = new ByteArrayContent(message.ToByteArray());
            content.Headers.ContentType = new("application/x-protobuf");
            (await http.PostAsync(path, content)).EnsureSuccessStatusCode();
        }

        await PostAsync("/v1/traces", TestData.Traces(api,
            SpanAt(TestData.SpanId(1), null, "POST /api/v1/jobs", Span.Types.SpanKind.Server, 0, 40, TestData.Attr("http.route", "/api/v1/jobs")),
            SpanAt(TestData.SpanId(2), TestData.SpanId(1), "jobs enqueue", Span.Types.SpanKind.Producer, 10, 5, TestData.Attr("job.type", "agent"))));
        var failedStep = SpanAt(TestData.SpanId(6), TestData.SpanId(3), "step 3 http-get", Span.Types.SpanKind.Internal, 120, 30);
        failedStep.Status = new Status { Code = Status.Types.StatusCode.Error, Message = "host not allowed" };
        failedStep.Events.Add(new Span.Types.Event { Name = "exception", TimeUnixNano = At(149), Attributes = { TestData.Attr("exception.type", "HttpRequestException"), TestData.Attr("exception.message", "host not allowed") } });
        await PostAsync("/v1/traces", TestData.Traces(worker,
            SpanAt(TestData.SpanId(3), TestData.SpanId(2), "jobs run agent", Span.Types.SpanKind.Consumer, 50, 150, TestData.Attr("job.id", "job-42")),
            SpanAt(TestData.SpanId(4), TestData.SpanId(3), "step 1 echo", Span.Types.SpanKind.Internal, 60, 20),
            SpanAt(TestData.SpanId(5), TestData.SpanId(3), "step 2 uppercase", Span.Types.SpanKind.Internal, 90, 20),
            failedStep));

        var received = TestData.Log("Job job-42 accepted");
        received.TimeUnixNano = At(20);
        received.TraceId = ByteString.CopyFrom(Convert.FromHexString(JobTraceId));
        received.Attributes.Add(TestData.Attr("RequestId", RequestId));
        received.Attributes.Add(TestData.Attr("job_id", "job-42"));
        var noise = TestData.Log("Health check passed");
        noise.TimeUnixNano = At(0);
        await PostAsync("/v1/logs", TestData.Logs(api, received, noise));
        var failed = TestData.Log("Step 3 of job job-42 failed", SeverityNumber.Error);
        failed.TimeUnixNano = At(150);
        failed.TraceId = ByteString.CopyFrom(Convert.FromHexString(JobTraceId));
        failed.Attributes.Add(TestData.Attr("RequestId", RequestId));
        await PostAsync("/v1/logs", TestData.Logs(worker, failed));

        for (var i = 0; i < 5; i++)
        {
            await PostAsync("/v1/metrics", JobsCompleted(worker, start: TestData.Nanos(now.AddSeconds(-10)), time: TestData.Nanos(now.AddSeconds(i - 4)), value: (i + 1) * 2));
        }
    }

    private static ExportMetricsServiceRequest JobsCompleted(OpenTelemetry.Proto.Resource.V1.Resource resource, ulong start, ulong time, long value) => new()
    {
        ResourceMetrics =
        {
            new ResourceMetrics
            {
                Resource = resource,
                ScopeMetrics =
                {
                    new ScopeMetrics
                    {
                        Scope = new InstrumentationScope { Name = "Jobs" },
                        Metrics =
                        {
                            new Metric
                            {
                                Name = "jobs.completed",
                                Description = "Jobs finished, by type and outcome.",
                                Unit = "{job}",
                                Sum = new Sum
                                {
                                    IsMonotonic = true,
                                    AggregationTemporality = AggregationTemporality.Cumulative,
                                    DataPoints =
                                    {
                                        new NumberDataPoint { StartTimeUnixNano = start, TimeUnixNano = time, AsInt = value, Attributes = { TestData.Attr("job.type", "agent"), TestData.Attr("outcome", "succeeded") } },
                                        new NumberDataPoint { StartTimeUnixNano = start, TimeUnixNano = time, AsInt = 1, Attributes = { TestData.Attr("job.type", "agent"), TestData.Attr("outcome", "failed") } },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    };
}

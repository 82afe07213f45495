using Aspire.Dashboard.Apis;
using Aspire.Dashboard.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDashboardServices();

var app = builder.Build();

app.UseDashboardPipeline();
app.MapDefaultEndpoints();
app.MapOtlp();
app.MapTelemetryApi();
app.MapDashboardUi();

app.Run();

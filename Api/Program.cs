var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapApiDocs();
app.MapRootApi();
app.MapJobsApi();
app.MapToolsApi();

app.Run();

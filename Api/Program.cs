var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGet("/", () => TypedResults.Ok(new { name = "Jobs API", version = typeof(Program).Assembly.GetName().Version?.ToString() }));

app.Run();

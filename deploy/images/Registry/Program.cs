using Registry;

// Serves every OCI image layout under --root (<root>/<repository>/index.json) over the distribution API, read-only,
// on loopback. Prints "listening on <url>" once it accepts requests, so scripts can read the port.
var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://127.0.0.1:0");
builder.Services.AddSingleton(new LayoutStore(builder.Configuration["root"]
    ?? throw new ArgumentException("--root <directory of OCI image layouts> is required")));

var app = builder.Build();
app.MapDistributionApi();
app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine($"listening on {string.Join(' ', app.Urls)}"));
app.Run();

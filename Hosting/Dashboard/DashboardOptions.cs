namespace Aspire.Hosting.Dashboard;

/// <summary>The secrets the AppHost shares with the dashboard it starts.</summary>
internal sealed record DashboardOptions(string BrowserToken, string OtlpApiKey, string ApiKey);

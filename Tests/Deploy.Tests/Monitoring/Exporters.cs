using System.Data.Common;
using Deploy.Tests.Infrastructure;

namespace Deploy.Tests.Monitoring;

/// <summary>postgres_exporter and redis_exporter (Debian packages) pointed at the app's real PostgreSQL and Redis.</summary>
public static class Exporters
{
    public sealed record Running(BackgroundProcess Process, string Address);

    /// <param name="connectionString">Npgsql form, as the AppHost gives it (<c>Host=…;Port=…;Username=…;Password=…;Database=…</c>).</param>
    public static Task<Running> StartPostgresAsync(string connectionString, string directory, CancellationToken cancellationToken)
    {
        var settings = new DbConnectionStringBuilder { ConnectionString = connectionString };
        string Get(string key) => settings.TryGetValue(key, out var value) ? (string)value : throw new InvalidOperationException($"No {key} in the connection string.");
        var dsn = $"postgresql://{Uri.EscapeDataString(Get("Username"))}:{Uri.EscapeDataString(Get("Password"))}@{Get("Host")}:{Get("Port")}/{Get("Database")}?sslmode=disable";

        var address = $"127.0.0.1:{Ports.Free()}";
        var process = Tool.PostgresExporter.Start(directory, new Dictionary<string, string> { ["DATA_SOURCE_NAME"] = dsn },
            $"--web.listen-address={address}", "--log.level=warn");
        return WaitAsync(process, address, cancellationToken);
    }

    /// <param name="connectionString">StackExchange.Redis form, as the AppHost gives it (<c>host:port,password=…</c>).</param>
    public static Task<Running> StartRedisAsync(string connectionString, string directory, CancellationToken cancellationToken)
    {
        var parts = connectionString.Split(',');
        var password = parts.Skip(1).Select(p => p.Split('=', 2)).FirstOrDefault(kv => kv[0].Trim() == "password")?[1] ?? "";

        var address = $"127.0.0.1:{Ports.Free()}";
        var process = Tool.RedisExporter.Start(directory, new Dictionary<string, string> { ["REDIS_PASSWORD"] = password },
            $"-redis.addr=redis://{parts[0]}", $"-web.listen-address={address}");
        return WaitAsync(process, address, cancellationToken);
    }

    private static async Task<Running> WaitAsync(BackgroundProcess process, string address, CancellationToken cancellationToken)
    {
        try
        {
            await process.WaitForHttpAsync(new Uri($"http://{address}/metrics"), cancellationToken);
            return new Running(process, address);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }
}

using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Eventing;
using Aspire.Hosting.Orchestration;
using Aspire.Hosting.Postgres;
using Aspire.Hosting.Processes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Aspire.Hosting;

public static class PostgresBuilderExtensions
{
    private const string DataTarget = "/var/lib/postgresql/data";

    /// <summary>
    /// Adds a PostgreSQL server. The password is the <c>{name}-password</c> parameter (generated once and kept in user
    /// secrets unless configured); the server is healthy once a real connection succeeds.
    /// </summary>
    public static IResourceBuilder<PostgresServerResource> AddPostgres(this IDistributedApplicationBuilder builder, string name,
        IResourceBuilder<ParameterResource>? userName = null, IResourceBuilder<ParameterResource>? password = null, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ResourceNameValidator.ThrowIfInvalid(name);
        var passwordParameter = password?.Resource ?? ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password");
        var server = new PostgresServerResource(name, userName?.Resource, passwordParameter);

        var added = builder.AddResource(server);
        if (password is null)
        {
            builder.AddResource(passwordParameter);
        }

        return added
            .WithEndpoint(port: port, targetPort: PostgresServerResource.DefaultContainerPort, scheme: "tcp", name: PostgresServerResource.PrimaryEndpointName, isProxied: false)
            .WithAnnotation(new ContainerImageAnnotation("library/postgres", "17.6"))
            .WithEnvironment("POSTGRES_HOST_AUTH_METHOD", "scram-sha-256")
            .WithEnvironment("POSTGRES_INITDB_ARGS", "--auth-host=scram-sha-256 --auth-local=scram-sha-256")
            .WithEnvironment("POSTGRES_USER", server.UserNameReference)
            .WithEnvironment("POSTGRES_PASSWORD", ReferenceExpression.Create($"{passwordParameter}"))

            // A subdirectory keeps initdb away from the mount point's lost+found on block volumes.
            .WithEnvironment("PGDATA", $"{DataTarget}/pgdata")
            .WithAnnotation(new DeploymentHealthCheckAnnotation("pg_isready -U \"$POSTGRES_USER\" -d postgres"))
            .WithAnnotation(new ContainerFilesAnnotation("/docker-entrypoint-initdb.d", () => new Dictionary<string, string>
            {
                ["create-databases.sql"] = string.Concat(server.Databases.Values.Select(d => $"CREATE DATABASE {QuoteIdentifier(d)};\n")),
            }))
            .WithAnnotation(new LocalRuntimeAnnotation(
                "process",
                "PostgreSQL server binaries (initdb and postgres on PATH, under `pg_config --bindir`, or in /usr/lib/postgresql/*/bin; e.g. `apt-get install postgresql`)",
                services => CreateProcessLauncher(services)))
            .WithHealthCheck($"{name}_check", (context, ct) => CheckConnectionAsync(server, ct));
    }

    /// <summary>Adds a database to the server; it is created (if missing) once the server is healthy, before the database resource starts.</summary>
    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(this IResourceBuilder<PostgresServerResource> builder, string name, string? databaseName = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        databaseName ??= name;
        var database = new PostgresDatabaseResource(name, databaseName, builder.Resource);
        builder.ApplicationBuilder.Eventing.Subscribe<BeforeResourceStartedEvent>(database, (e, ct) => CreateDatabaseAsync(database, ct));
        var added = builder.ApplicationBuilder.AddResource(database)
            .WithRelationship(builder.Resource, "Parent")
            .WithHealthCheck($"{name}_check", (context, ct) => CheckConnectionAsync(database, ct));
        builder.Resource.AddDatabase(name, databaseName);
        return added;
    }

    /// <summary>Keeps the server's data across AppHost runs in a named volume (a directory under the AppHost's data directory when no container engine is used).</summary>
    public static IResourceBuilder<PostgresServerResource> WithDataVolume(this IResourceBuilder<PostgresServerResource> builder, string? name = null, bool isReadOnly = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var volume = name ?? VolumeNames.Generate(builder, "data");
        return builder.WithAnnotation(new ContainerMountAnnotation(volume, DataTarget, ContainerMountType.Volume, isReadOnly), ResourceAnnotationMutationBehavior.Replace);
    }

    /// <summary>Keeps the server's data in a directory of your choice (relative to the AppHost directory).</summary>
    public static IResourceBuilder<PostgresServerResource> WithDataBindMount(this IResourceBuilder<PostgresServerResource> builder, string source, bool isReadOnly = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(source);
        var path = Path.GetFullPath(Path.Combine(builder.ApplicationBuilder.AppHostDirectory, source));
        return builder.WithAnnotation(new ContainerMountAnnotation(path, DataTarget, ContainerMountType.BindMount, isReadOnly), ResourceAnnotationMutationBehavior.Replace);
    }

    private static PostgresProcessLauncher? CreateProcessLauncher(IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        return PostgresBinaries.Find(configuration["Hosting:Postgres:BinDirectory"]) is { } binaries
            ? new PostgresProcessLauncher(binaries, services.GetRequiredService<ProcessLauncher>(), services.GetRequiredService<AppHostPaths>(),
                NativeMethods.IsRoot ? configuration["Hosting:Postgres:RunAsUser"] ?? "postgres" : null)
            : null;
    }

    private static async Task<HealthCheckResult> CheckConnectionAsync(IResourceWithConnectionString resource, CancellationToken cancellationToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(await resource.GetConnectionStringAsync(cancellationToken))
        {
            Pooling = false,
            Timeout = 5,
        };
        try
        {
            await using var connection = new NpgsqlConnection(connectionString.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidPassword)
        {
            return HealthCheckResult.Unhealthy(
                $"Password authentication failed: the data directory was initialised with another password. Restore the '{((resource as PostgresServerResource)?.PasswordParameter ?? ((PostgresDatabaseResource)resource).Parent.PasswordParameter).ConfigurationKey}' secret or delete the data volume.", ex);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return HealthCheckResult.Unhealthy(ex.Message, ex);
        }
    }

    private static async Task CreateDatabaseAsync(PostgresDatabaseResource database, CancellationToken cancellationToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(await database.Parent.ConnectionStringExpression.GetValueAsync(cancellationToken)) { Pooling = false };
        await using var connection = new NpgsqlConnection(connectionString.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = database.DatabaseName } } };
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {QuoteIdentifier(database.DatabaseName)}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

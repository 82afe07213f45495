using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Orchestration;
using Aspire.Hosting.Processes;
using Aspire.Hosting.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Aspire.Hosting;

public static class RedisBuilderExtensions
{
    /// <summary>
    /// Adds a Redis server with a password (the <c>{name}-password</c> parameter, generated without characters that
    /// break connection strings). Without a container engine it runs redis-server or valkey-server from PATH, else
    /// Garnet from the repository's dotnet tool manifest.
    /// </summary>
    public static IResourceBuilder<RedisResource> AddRedis(this IDistributedApplicationBuilder builder, string name, int? port = null,
        IResourceBuilder<ParameterResource>? password = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ResourceNameValidator.ThrowIfInvalid(name);
        var passwordParameter = password?.Resource ?? ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password", special: false);
        var redis = new RedisResource(name, passwordParameter);

        var added = builder.AddResource(redis);
        if (password is null)
        {
            builder.AddResource(passwordParameter);
        }

        return added
            .WithEndpoint(port: port, targetPort: RedisResource.DefaultContainerPort, scheme: "tcp", name: RedisResource.PrimaryEndpointName, isProxied: false)
            .WithAnnotation(new ContainerImageAnnotation("library/redis", "7.4"))
            .WithAnnotation(new DeploymentHealthCheckAnnotation("redis-cli -a \"$REDIS_PASSWORD\" --no-auth-warning ping | grep -q PONG"))
            .WithEnvironment("REDIS_PASSWORD", ReferenceExpression.Create($"{passwordParameter}"))
            .WithArgs(context =>
            {
                // The container image reads the password from the environment so it never shows in `ps`.
                context.Args.AddRange(["/bin/sh", "-c", "exec redis-server --requirepass \"$REDIS_PASSWORD\"" + (redis.Annotations.OfType<ContainerMountAnnotation>().Any() ? " --save 60 1" : "")]);
                return Task.CompletedTask;
            })
            .WithAnnotation(new LocalRuntimeAnnotation(
                "redis-server",
                "redis-server or valkey-server on PATH (e.g. `apt-get install redis-server`)",
                services => RedisServerLauncher.TryCreate(services.GetRequiredService<AppHostPaths>())))
            .WithAnnotation(new LocalRuntimeAnnotation(
                "garnet",
                "Garnet from the repository's dotnet tool manifest (.config/dotnet-tools.json with garnet-server; restored automatically)",
                services => GarnetLauncher.TryCreate(services.GetRequiredService<IDistributedApplicationBuilder>().AppHostDirectory,
                    services.GetRequiredService<AppHostPaths>(), services.GetRequiredService<ProcessLauncher>())))
            .WithHealthCheck($"{name}_check", (context, ct) => CheckAsync(redis, ct));
    }

    /// <summary>Keeps the data across runs (RDB snapshots every minute when something changed).</summary>
    public static IResourceBuilder<RedisResource> WithDataVolume(this IResourceBuilder<RedisResource> builder, string? name = null, bool isReadOnly = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var volume = name ?? VolumeNames.Generate(builder, "data");
        return builder.WithAnnotation(new ContainerMountAnnotation(volume, "/data", ContainerMountType.Volume, isReadOnly), ResourceAnnotationMutationBehavior.Replace);
    }

    private static async Task<HealthCheckResult> CheckAsync(RedisResource redis, CancellationToken cancellationToken)
    {
        var options = ConfigurationOptions.Parse((await redis.ConnectionStringExpression.GetValueAsync(cancellationToken))!);
        options.AbortOnConnectFail = true;
        options.ConnectTimeout = 3000;
        options.ConnectRetry = 0;
        try
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
            await connection.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy();
        }
        catch (RedisException ex)
        {
            return HealthCheckResult.Unhealthy(ex.Message, ex);
        }
    }
}

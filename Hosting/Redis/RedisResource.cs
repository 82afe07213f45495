namespace Aspire.Hosting.ApplicationModel;

/// <summary>A Redis-compatible server: a container, redis-server/valkey-server, or Garnet, always with a password.</summary>
public sealed class RedisResource : ContainerResource, IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";
    internal const int DefaultContainerPort = 6379;

    public RedisResource(string name, ParameterResource password) : base(name)
    {
        ArgumentNullException.ThrowIfNull(password);
        PasswordParameter = password;
        PrimaryEndpoint = new EndpointReference(this, PrimaryEndpointName);
    }

    public ParameterResource PasswordParameter { get; }

    public EndpointReference PrimaryEndpoint { get; }

    /// <summary>StackExchange.Redis format, as Aspire injects it: <c>host:port,password=...</c>.</summary>
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)},password={PasswordParameter}");
}


namespace Aspire.Hosting.ApplicationModel;

/// <summary>A PostgreSQL server: a container when an engine answers, otherwise the local server binaries.</summary>
public sealed class PostgresServerResource : ContainerResource, IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";
    internal const int DefaultContainerPort = 5432;
    private readonly Dictionary<string, string> _databases = new(StringComparer.OrdinalIgnoreCase);

    public PostgresServerResource(string name, ParameterResource? userName, ParameterResource password) : base(name)
    {
        ArgumentNullException.ThrowIfNull(password);
        UserNameParameter = userName;
        PasswordParameter = password;
        PrimaryEndpoint = new EndpointReference(this, PrimaryEndpointName);
    }

    public ParameterResource? UserNameParameter { get; }

    public ParameterResource PasswordParameter { get; }

    public EndpointReference PrimaryEndpoint { get; }

    internal ReferenceExpression UserNameReference => UserNameParameter is { } user
        ? ReferenceExpression.Create($"{user}")
        : ReferenceExpression.Create($"postgres");

    internal string UserName => UserNameParameter?.Value ?? "postgres";

    /// <summary>Database resource names mapped to database names.</summary>
    public IReadOnlyDictionary<string, string> Databases => _databases;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={UserNameReference};Password={PasswordParameter}");

    internal void AddDatabase(string name, string databaseName) => _databases.TryAdd(name, databaseName);
}

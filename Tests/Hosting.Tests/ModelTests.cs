using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Hosting.Tests.Infrastructure;

namespace Hosting.Tests;

/// <summary>Fast tests of the model: annotations, expressions and generated values, without starting anything.</summary>
public sealed class ModelTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public void Postgres_connection_strings_follow_the_npgsql_format_and_manifest_expressions()
    {
        var builder = TestApps.CreateBuilder(_data);
        var postgres = builder.AddPostgres("pg");
        var db = postgres.AddDatabase("appdb", "app_db");

        Assert.Equal("Host={pg.bindings.tcp.host};Port={pg.bindings.tcp.port};Username=postgres;Password={pg-password.value}",
            postgres.Resource.ConnectionStringExpression.ValueExpression);
        Assert.Equal("{pg.connectionString};Database=app_db", db.Resource.ConnectionStringExpression.ValueExpression);
        Assert.Contains(builder.Resources, r => r is ParameterResource { Name: "pg-password", Secret: true });
        Assert.Equal(postgres.Resource, db.Resource.Parent);
    }

    [Fact]
    public async Task Connection_strings_resolve_once_endpoints_are_allocated()
    {
        var builder = TestApps.CreateBuilder(_data, "--Parameters:cache-password=s3cret", "--Parameters:pg-password=pw");
        var cache = builder.AddRedis("cache");
        var db = builder.AddPostgres("pg").AddDatabase("appdb");
        Allocate(cache.Resource, 6380);
        Allocate(db.Resource.Parent, 5433);
        using var app = builder.Build();

        Assert.Equal("localhost:6380,password=s3cret", await cache.Resource.ConnectionStringExpression.GetValueAsync());
        Assert.Equal("Host=localhost;Port=5433;Username=postgres;Password=pw;Database=appdb", await db.Resource.ConnectionStringExpression.GetValueAsync());
    }

    [Fact]
    public void Redis_has_a_password_parameter_without_special_characters()
    {
        var builder = TestApps.CreateBuilder(_data);
        var cache = builder.AddRedis("cache");
        using var app = builder.Build();

        var password = cache.Resource.PasswordParameter.Value;
        Assert.True(password.Length >= 22, password);
        Assert.All(password, c => Assert.True(char.IsAsciiLetterOrDigit(c), $"'{c}' in a Redis password"));
        Assert.Equal("{cache.bindings.tcp.host}:{cache.bindings.tcp.port},password={cache-password.value}", cache.Resource.ConnectionStringExpression.ValueExpression);
    }

    [Theory]
    [InlineData(true, true, true, true)]
    [InlineData(true, true, true, false)]
    [InlineData(false, true, true, false)]
    public void Generated_passwords_follow_the_requested_rules(bool lower, bool upper, bool numeric, bool special)
    {
        var generator = new GenerateParameterDefault { Lower = lower, Upper = upper, Numeric = numeric, Special = special, MinLower = lower ? 2 : 0, MinNumeric = numeric ? 3 : 0 };
        for (var i = 0; i < 50; i++)
        {
            var value = generator.GetDefaultValue();
            Assert.True(value.Length >= 22);
            Assert.True(!lower || value.Count(char.IsAsciiLetterLower) >= 2);
            Assert.True(!numeric || value.Count(char.IsAsciiDigit) >= 3);
            Assert.True(lower || !value.Any(char.IsAsciiLetterLower));
            Assert.True(special || value.All(char.IsAsciiLetterOrDigit));
            Assert.DoesNotContain(value, c => c is ';' or '=' or ',' or '{' or '}' or '\'' or '"' or ' ');
        }
    }

    [Fact]
    public void References_record_relationships_and_waits()
    {
        var builder = TestApps.CreateBuilder(_data);
        var db = builder.AddPostgres("pg").AddDatabase("appdb");
        var api = builder.AddProject<Projects.AppHost>("api").WithReference(db).WaitFor(db).WithReplicas(3);

        Assert.Contains(api.Resource.Annotations.OfType<WaitAnnotation>(), w => w.Resource == db.Resource);
        Assert.Contains(api.Resource.Annotations.OfType<ResourceRelationshipAnnotation>(), r => r.Resource == db.Resource && r.Type == "Reference");
        Assert.Equal(3, api.Resource.Annotations.OfType<ReplicaAnnotation>().Single().Replicas);
    }

    [Fact]
    public void External_http_endpoints_and_endpoint_references_use_aspire_expressions()
    {
        var builder = TestApps.CreateBuilder(_data);
        var exe = builder.AddExecutable("web", "sleep", ".", "30").WithHttpEndpoint(port: 8081, name: "http").WithExternalHttpEndpoints();

        Assert.True(exe.Resource.Annotations.OfType<EndpointAnnotation>().Single().IsExternal);
        Assert.Equal("{web.bindings.http.url}", exe.GetEndpoint("http").ValueExpression);
        Assert.Equal("{web.bindings.http.port}", exe.GetEndpoint("http").Property(EndpointProperty.Port).ValueExpression);
    }

    private static void Allocate(IResource resource, int port)
    {
        var endpoint = resource.Annotations.OfType<EndpointAnnotation>().Single();
        endpoint.AllocatedEndpoint = new AllocatedEndpoint(endpoint, "localhost", port);
    }
}

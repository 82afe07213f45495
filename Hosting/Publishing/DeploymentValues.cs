using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting.Publishing;

/// <summary>
/// Renders model values for a deployment target where resources reach each other by service name: an endpoint's
/// host is the resource name and its port the port the service listens on; a parameter becomes a placeholder the
/// target fills in (Compose: <c>${NAME}</c>, Kubernetes: <c>$(NAME)</c>). Literal text is escaped for that syntax.
/// </summary>
internal sealed class DeploymentValues(Func<ParameterResource, string> placeholder, Func<string, string> escapeLiteral)
{
    /// <summary>The port a project's container listens on (the .NET images' ASPNETCORE_HTTP_PORTS).</summary>
    public const int ProjectHttpPort = 8080;

    public string Render(object? value) => value switch
    {
        null => "",
        string text => escapeLiteral(text),
        ParameterResource parameter => placeholder(parameter),
        ReferenceExpression expression => string.Format(null, escapeLiteral(expression.Format), [.. expression.ValueProviders.Select(Render)]),
        EndpointReferenceExpression property => RenderEndpoint(property.Endpoint, property.Property),
        EndpointReference endpoint => RenderEndpoint(endpoint, EndpointProperty.Url),
        IResourceWithConnectionString resource => Render(resource.ConnectionStringExpression),
        IFormattable formattable => formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => escapeLiteral(value.ToString() ?? ""),
    };

    /// <summary>The parameters a value refers to, directly or through expressions and connection strings.</summary>
    public static IEnumerable<ParameterResource> ParametersIn(object? value) => value switch
    {
        ParameterResource parameter => [parameter],
        ReferenceExpression expression => expression.ValueProviders.SelectMany(ParametersIn),
        IResourceWithConnectionString resource => ParametersIn(resource.ConnectionStringExpression),
        _ => [],
    };

    public static int ServicePort(EndpointAnnotation endpoint, IResource resource) =>
        resource is ProjectResource ? ProjectHttpPort : endpoint.TargetPort ?? endpoint.Port ?? ProjectHttpPort;

    private static string RenderEndpoint(EndpointReference endpoint, EndpointProperty property)
    {
        var annotation = endpoint.Annotation;
        var host = endpoint.Resource.Name;
        var port = ServicePort(annotation, endpoint.Resource).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return property switch
        {
            EndpointProperty.Host => host,
            EndpointProperty.Port or EndpointProperty.TargetPort => port,
            EndpointProperty.HostAndPort => $"{host}:{port}",
            EndpointProperty.Scheme => annotation.UriScheme,
            _ => $"{annotation.UriScheme}://{host}:{port}",
        };
    }

    /// <summary><c>api-key</c> → <c>API_KEY</c>.</summary>
    public static string VariableName(ParameterResource parameter) => parameter.Name.ToUpperInvariant().Replace('-', '_');
}

using System.Text.Encodings.Web;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting.Publishing;

/// <summary>
/// Writes <c>aspire-manifest.json</c> in Aspire's manifest format (the one azd reads): <c>project.v0</c>,
/// <c>container.v0</c>, <c>value.v0</c>, <c>parameter.v0</c> and <c>executable.v0</c> resources whose values are
/// expressions such as <c>{postgres.bindings.tcp.port}</c> and <c>{jobsdb.connectionString}</c>.
/// </summary>
internal sealed class ManifestPublisher : IDistributedApplicationPublisher
{
    public const string FileName = "aspire-manifest.json";

    public string Name => "manifest";

    public string? SingleFileName => FileName;

    public async Task PublishAsync(PublishingContext context, CancellationToken cancellationToken)
    {
        await using var stream = File.Create(Path.Combine(context.StagingDirectory, FileName));
        await using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        writer.WriteStartObject();
        writer.WriteString("$schema", "https://json.schemastore.org/aspire-8.0.json");
        writer.WriteStartObject("resources");
        foreach (var resource in context.DeployableResources)
        {
            writer.WriteStartObject(resource.Name);
            await WriteResourceAsync(writer, resource, context, cancellationToken);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static async Task WriteResourceAsync(Utf8JsonWriter writer, IResource resource, PublishingContext context, CancellationToken cancellationToken)
    {
        switch (resource)
        {
            case ParameterResource parameter:
                WriteParameter(writer, parameter);
                return;
            case ProjectResource project:
                writer.WriteString("type", "project.v0");
                writer.WriteString("path", context.RelativePath(project.Metadata.ProjectPath));
                break;
            case ExecutableResource executable:
                writer.WriteString("type", "executable.v0");
                writer.WriteString("workingDirectory", context.RelativePath(executable.WorkingDirectory));
                writer.WriteString("command", executable.Command);
                break;
            case ContainerResource:
                writer.WriteString("type", "container.v0");
                break;
            case IResourceWithConnectionString:
                writer.WriteString("type", "value.v0");
                break;
            default:
                throw new DistributedApplicationException($"Resource '{resource.Name}' ({resource.GetType().Name}) cannot be written to the manifest.");
        }

        if (resource is IResourceWithConnectionString withConnectionString)
        {
            writer.WriteString("connectionString", withConnectionString.ConnectionStringExpression.ValueExpression);
        }

        if (resource.Annotations.OfType<ContainerImageAnnotation>().LastOrDefault() is { } image)
        {
            writer.WriteString("image", image.FullName);
        }

        var args = await context.GetArgumentsAsync(resource, cancellationToken);
        if (args.Count > 0)
        {
            writer.WriteStartArray("args");
            foreach (var arg in args)
            {
                writer.WriteStringValue(Expression(arg));
            }

            writer.WriteEndArray();
        }

        var environment = await context.GetEnvironmentAsync(resource, cancellationToken);
        if (resource is ProjectResource)
        {
            AddProjectConventions(resource, environment);
        }

        if (environment.Count > 0)
        {
            writer.WriteStartObject("env");
            foreach (var (name, value) in environment)
            {
                writer.WriteString(name, Expression(value));
            }

            writer.WriteEndObject();
        }

        WriteBindings(writer, resource);
        WriteVolumes(writer, resource);
    }

    private static void WriteParameter(Utf8JsonWriter writer, ParameterResource parameter)
    {
        writer.WriteString("type", "parameter.v0");
        writer.WriteString("value", $"{{{parameter.Name}.inputs.value}}");
        writer.WriteStartObject("inputs");
        writer.WriteStartObject("value");
        writer.WriteString("type", "string");
        if (parameter.Secret)
        {
            writer.WriteBoolean("secret", true);
        }

        switch (parameter.Default)
        {
            case GenerateParameterDefault generate:
                writer.WriteStartObject("default");
                writer.WriteStartObject("generate");
                writer.WriteNumber("minLength", generate.MinLength);
                WriteIfFalse(writer, "lower", generate.Lower);
                WriteIfFalse(writer, "upper", generate.Upper);
                WriteIfFalse(writer, "numeric", generate.Numeric);
                WriteIfFalse(writer, "special", generate.Special);
                WriteIfPositive(writer, "minLower", generate.MinLower);
                WriteIfPositive(writer, "minUpper", generate.MinUpper);
                WriteIfPositive(writer, "minNumeric", generate.MinNumeric);
                WriteIfPositive(writer, "minSpecial", generate.MinSpecial);
                writer.WriteEndObject();
                writer.WriteEndObject();
                break;
            case { } fixedDefault:
                writer.WriteStartObject("default");
                writer.WriteString("value", fixedDefault.GetDefaultValue());
                writer.WriteEndObject();
                break;
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteBindings(Utf8JsonWriter writer, IResource resource)
    {
        var endpoints = resource.Annotations.OfType<EndpointAnnotation>().ToList();
        if (endpoints.Count == 0)
        {
            return;
        }

        writer.WriteStartObject("bindings");
        foreach (var endpoint in endpoints)
        {
            writer.WriteStartObject(endpoint.Name);
            writer.WriteString("scheme", endpoint.UriScheme);
            writer.WriteString("protocol", endpoint.Protocol.ToString().ToLowerInvariant());
            writer.WriteString("transport", endpoint.Transport);
            if (endpoint.IsExternal)
            {
                writer.WriteBoolean("external", true);
            }

            if (resource is not ProjectResource && endpoint.TargetPort is { } targetPort)
            {
                writer.WriteNumber("targetPort", targetPort);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteVolumes(Utf8JsonWriter writer, IResource resource)
    {
        var mounts = resource.Annotations.OfType<ContainerMountAnnotation>().ToList();
        foreach (var (type, property) in new[] { (ContainerMountType.Volume, "volumes"), (ContainerMountType.BindMount, "bindMounts") })
        {
            var selected = mounts.Where(m => m.Type == type).ToList();
            if (selected.Count == 0)
            {
                continue;
            }

            writer.WriteStartArray(property);
            foreach (var mount in selected)
            {
                writer.WriteStartObject();
                writer.WriteString(type == ContainerMountType.Volume ? "name" : "source", mount.Source);
                writer.WriteString("target", mount.Target);
                writer.WriteBoolean("readOnly", mount.IsReadOnly);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }
    }

    // Aspire's conventions for projects in a deployment: Kestrel listens on the binding's target port, and the OTLP
    // exporter keeps exception and event attributes and retries in memory.
    private static void AddProjectConventions(IResource resource, Dictionary<string, object?> environment)
    {
        environment.TryAdd("OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES", "true");
        environment.TryAdd("OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES", "true");
        environment.TryAdd("OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY", "in_memory");
        foreach (var scheme in new[] { "http", "https" })
        {
            var ports = resource.Annotations.OfType<EndpointAnnotation>().Where(e => e.UriScheme == scheme)
                .Select(e => $"{{{resource.Name}.bindings.{e.Name}.targetPort}}").ToList();
            if (ports.Count > 0)
            {
                environment.TryAdd($"{scheme.ToUpperInvariant()}_PORTS", string.Join(';', ports));
            }
        }
    }

    internal static string Expression(object? value) => value switch
    {
        null => "",
        string text => text,
        IManifestExpressionProvider provider => provider.ValueExpression,
        IFormattable formattable => formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static void WriteIfFalse(Utf8JsonWriter writer, string name, bool value)
    {
        if (!value)
        {
            writer.WriteBoolean(name, false);
        }
    }

    private static void WriteIfPositive(Utf8JsonWriter writer, string name, int value)
    {
        if (value > 0)
        {
            writer.WriteNumber(name, value);
        }
    }
}

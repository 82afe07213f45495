using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

public static class ParameterResourceBuilderExtensions
{
    /// <summary>
    /// A value from configuration <c>Parameters:{name}</c>. A secret parameter with no configured value is generated
    /// once and kept in the AppHost's user secrets; a plain one without a value stops start-up with instructions.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddParameter(this IDistributedApplicationBuilder builder, string name, bool secret = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddResource(new ParameterResource(name, secret, secret ? new GenerateParameterDefault() : null));
    }

    /// <summary>A parameter with a fixed default that configuration may override.</summary>
    public static IResourceBuilder<ParameterResource> AddParameter(this IDistributedApplicationBuilder builder, string name, string value, bool secret = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(value);
        return builder.AddResource(new ParameterResource(name, secret, new ConstantParameterDefault(value)));
    }

    /// <summary>
    /// A generated password parameter (Aspire's rules: 22+ characters), kept in user secrets once generated. The caller
    /// adds it to the model after the resource that owns it, so a name clash is reported for the owner.
    /// </summary>
    public static ParameterResource CreateDefaultPasswordParameter(IDistributedApplicationBuilder builder, string name,
        bool lower = true, bool upper = true, bool numeric = true, bool special = true)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var generator = new GenerateParameterDefault
        {
            Lower = lower,
            Upper = upper,
            Numeric = numeric,
            Special = special,
            MinLower = lower ? 1 : 0,
            MinUpper = upper ? 1 : 0,
            MinNumeric = numeric ? 1 : 0,
        };
        return new ParameterResource(name, secret: true, generator);
    }

    private sealed class ConstantParameterDefault(string value) : ParameterDefault
    {
        public override string GetDefaultValue() => value;
    }

    /// <summary>Adds a server and then, if it was generated for it, its password parameter: a name clash is reported for the server.</summary>
    internal static IResourceBuilder<T> AddResourceWithPassword<T>(this IDistributedApplicationBuilder builder, T resource, ParameterResource password, bool generated)
        where T : IResource
    {
        var added = builder.AddResource(resource);
        if (generated)
        {
            builder.AddResource(password);
        }

        return added;
    }
}

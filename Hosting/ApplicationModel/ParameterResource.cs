namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A value supplied from outside the model: configuration <c>Parameters:{name}</c> (environment <c>Parameters__{name}</c>,
/// user secrets, command line), else the AppHost's secrets store, else generated from <see cref="Default"/> and saved.
/// </summary>
public sealed class ParameterResource : Resource, IManifestExpressionProvider, IValueProvider
{
    private string? _value;

    public ParameterResource(string name, bool secret, ParameterDefault? defaultValue = null) : base(name)
    {
        Secret = secret;
        Default = defaultValue;
    }

    public bool Secret { get; }

    public ParameterDefault? Default { get; }

    public string ConfigurationKey => $"Parameters:{Name}";

    public string ValueExpression => $"{{{Name}.value}}";

    /// <summary>The resolved value; available once the application has been built.</summary>
    public string Value => _value ?? throw new MissingParameterValueException(this);

    internal bool HasValue => _value is not null;

    internal void SetValue(string value) => _value = value;

    public ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<string?>(Value);
}

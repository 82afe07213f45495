namespace Aspire.Hosting.ApplicationModel;

/// <summary>Something whose value is only known while the application runs (a port, a password).</summary>
public interface IValueProvider
{
    ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default);
}

/// <summary>Something that can be written into a deployment manifest as an expression such as <c>{postgres.bindings.tcp.port}</c>.</summary>
public interface IManifestExpressionProvider
{
    string ValueExpression { get; }
}

/// <summary>A value that points at other resources, so references and dependencies can be discovered from it.</summary>
public interface IValueWithReferences
{
    IEnumerable<object> References { get; }
}

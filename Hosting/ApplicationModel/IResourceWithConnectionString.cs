namespace Aspire.Hosting.ApplicationModel;

/// <summary>A resource clients reach through a connection string (<c>ConnectionStrings__name</c>).</summary>
public interface IResourceWithConnectionString : IResource, IManifestExpressionProvider, IValueProvider, IValueWithReferences
{
    ReferenceExpression ConnectionStringExpression { get; }

    /// <summary>Overrides the default <c>ConnectionStrings__{Name}</c> variable name.</summary>
    string? ConnectionStringEnvironmentVariable => null;

    string IManifestExpressionProvider.ValueExpression => $"{{{Name}.connectionString}}";

    ValueTask<string?> IValueProvider.GetValueAsync(CancellationToken cancellationToken) =>
        ConnectionStringExpression.GetValueAsync(cancellationToken);

    ValueTask<string?> GetConnectionStringAsync(CancellationToken cancellationToken = default) =>
        ConnectionStringExpression.GetValueAsync(cancellationToken);

    IEnumerable<object> IValueWithReferences.References => [ConnectionStringExpression];
}

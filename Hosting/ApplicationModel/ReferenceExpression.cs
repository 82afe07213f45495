using System.Runtime.CompilerServices;
using System.Text;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A string with holes filled by runtime values (endpoints, parameters, other connection strings). The same expression
/// resolves to a value while the application runs and to a manifest expression when it is published.
/// </summary>
public sealed class ReferenceExpression : IManifestExpressionProvider, IValueProvider, IValueWithReferences
{
    private readonly string[] _manifestExpressions;

    private ReferenceExpression(string format, IValueProvider[] valueProviders, string[] manifestExpressions)
    {
        Format = format;
        ValueProviders = valueProviders;
        _manifestExpressions = manifestExpressions;
    }

    /// <summary>The template with <c>{0}</c>-style holes, one per value provider.</summary>
    public string Format { get; }

    public IReadOnlyList<IValueProvider> ValueProviders { get; }

    public string ValueExpression => string.Format(null, Format, _manifestExpressions);

    public IEnumerable<object> References => ValueProviders;

    public async ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default)
    {
        if (ValueProviders.Count == 0)
        {
            return string.Format(null, Format);
        }

        var values = new object?[ValueProviders.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = await ValueProviders[i].GetValueAsync(cancellationToken);
        }

        return string.Format(null, Format, values);
    }

    public static ReferenceExpression Create(in ExpressionInterpolatedStringHandler handler) => handler.Build();

    public override string ToString() => ValueExpression;

    [InterpolatedStringHandler]
    public ref struct ExpressionInterpolatedStringHandler
    {
        private readonly StringBuilder _format;
        private readonly List<IValueProvider> _providers;
        private readonly List<string> _expressions;

        public ExpressionInterpolatedStringHandler(int literalLength, int formattedCount)
        {
            _format = new StringBuilder(literalLength + formattedCount * 4);
            _providers = new List<IValueProvider>(formattedCount);
            _expressions = new List<string>(formattedCount);
        }

        public readonly void AppendLiteral(string value) => _format.Append(value.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal));

        public readonly void AppendFormatted(string? value) => AppendLiteral(value ?? string.Empty);

        public readonly void AppendFormatted(int value) => AppendLiteral(value.ToString(System.Globalization.CultureInfo.InvariantCulture));

        public readonly void AppendFormatted<T>(T value) where T : IValueProvider, IManifestExpressionProvider
        {
            _format.Append('{').Append(_providers.Count).Append('}');
            _providers.Add(value);
            _expressions.Add(value.ValueExpression);
        }

        internal readonly ReferenceExpression Build() => new(_format.ToString(), [.. _providers], [.. _expressions]);
    }
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// A logger provider that logs nothing and exists to receive the factory's scope provider, so the log redaction
/// processor can read (and export, redacted) the scopes of the log call it is processing.
/// </summary>
internal sealed class LogScopeCapture : ILoggerProvider, ISupportExternalScope
{
    public IExternalScopeProvider? ScopeProvider { get; private set; }

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => ScopeProvider = scopeProvider;

    public ILogger CreateLogger(string categoryName) => NullLogger.Instance;

    public void Dispose()
    {
    }
}

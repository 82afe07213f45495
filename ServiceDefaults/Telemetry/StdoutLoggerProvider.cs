using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The console logger of every service: lines rendered by <see cref="ServiceConsoleFormatter"/> on the logging thread,
/// written to stdout in batches by <see cref="StdoutWriter"/>. The framework's console logger wakes its writer thread
/// and makes a write call per line, which on a busy service costs more than the request being logged. Registered
/// under the alias "Console", so <c>Logging:Console:LogLevel</c> filters still apply.
/// </summary>
[ProviderAlias("Console")]
internal sealed class StdoutLoggerProvider(ConsoleFormatter formatter, StdoutWriter writer) : ILoggerProvider, ISupportExternalScope
{
    [ThreadStatic]
    private static StringWriter? t_buffer;

    private IExternalScopeProvider? _scopes;

    public ILogger CreateLogger(string categoryName) => new StdoutLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose() => writer.Dispose();

    private void Write<TState>(in LogEntry<TState> entry)
    {
        var buffer = t_buffer ??= new StringWriter();
        formatter.Write(entry, _scopes, buffer);
        var text = buffer.GetStringBuilder();
        if (text.Length > 0)
        {
            writer.Append(text);
        }
        text.Clear();
        if (text.Capacity > 16 * 1024)
        {
            // Do not keep one huge exception's buffer alive per thread.
            t_buffer = null;
        }
    }

    private sealed class StdoutLogger(StdoutLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter));
            }
        }
    }
}

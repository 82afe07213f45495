using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The console logger of every service: lines rendered straight to UTF-8 by <see cref="ServiceConsoleFormatter"/> on
/// the logging thread, written to stdout in batches by <see cref="StdoutWriter"/>. The framework's console logger
/// renders to a string, then wakes its writer thread and makes a write call per line, which on a busy service costs
/// more than the request being logged. Registered under the alias "Console", so <c>Logging:Console:LogLevel</c>
/// filters still apply.
/// </summary>
[ProviderAlias("Console")]
internal sealed class StdoutLoggerProvider(ServiceConsoleFormatter formatter, StdoutWriter writer) : ILoggerProvider, ISupportExternalScope
{
    private const int MaxRetainedBuffer = 16 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _threadBuffer;

    private IExternalScopeProvider? _scopes;

    public ILogger CreateLogger(string categoryName) => new StdoutLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose() => writer.Dispose();

    private void Write<TState>(in LogEntry<TState> entry)
    {
        // Taken off the thread while in use, so a log call made while formatting (a ToString that logs) gets its own.
        var buffer = _threadBuffer ?? new ArrayBufferWriter<byte>(1024);
        _threadBuffer = null;
        formatter.Write(entry, _scopes, buffer);
        if (buffer.WrittenCount > 0)
        {
            writer.Append(buffer.WrittenSpan);
        }
        buffer.ResetWrittenCount();
        // Do not keep one huge exception's buffer alive per thread.
        _threadBuffer = buffer.Capacity <= MaxRetainedBuffer ? buffer : null;
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

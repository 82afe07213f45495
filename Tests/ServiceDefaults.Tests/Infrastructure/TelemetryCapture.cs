using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;

namespace ServiceDefaults.Tests.Infrastructure;

/// <summary>
/// What leaves the process: spans and logs through OpenTelemetry's in-memory exporter (registered after the defaults,
/// like a real exporter), and every log line as the service's console formatter renders it.
/// </summary>
internal sealed class TelemetryCapture
{
    public List<Activity> Spans { get; } = [];

    public List<LogRecord> Logs { get; } = [];

    public List<string> ConsoleLines { get; } = [];

    public void Attach(WebApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddInMemoryExporter(Spans))
            .WithLogging(logging => logging.AddInMemoryExporter(Logs));
        builder.Logging.Services.AddSingleton<ILoggerProvider>(sp => new ConsoleFormatterCapture(
            sp.GetServices<ConsoleFormatter>().Single(f => f.Name == "servicedefaults"), ConsoleLines));
    }

    public List<Activity> SpansSnapshot()
    {
        lock (Spans)
        {
            return [.. Spans];
        }
    }

    public List<LogRecord> LogsSnapshot()
    {
        lock (Logs)
        {
            return [.. Logs];
        }
    }

    public List<string> ConsoleSnapshot()
    {
        lock (ConsoleLines)
        {
            return [.. ConsoleLines];
        }
    }

    /// <summary>Everything exported about logs, as text: message, body, every attribute (scopes included, see RedactingLogProcessor).</summary>
    public static string Describe(LogRecord record) => string.Join(" | ",
        new[] { record.CategoryName, record.FormattedMessage, record.Body?.ToString(), record.Exception?.ToString() }
            .Concat((record.Attributes ?? []).Select(a => $"{a.Key}={a.Value}")));

    public static string Describe(Activity span) => string.Join(" | ",
        new[] { span.DisplayName, span.StatusDescription }
            .Concat(span.TagObjects.Select(t => $"{t.Key}={t.Value}"))
            .Concat(span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}.{t.Key}={t.Value}").Prepend(e.Name))));

    /// <summary>Renders each log call with the service's own console formatter, as the console logger would.</summary>
    private sealed class ConsoleFormatterCapture(ConsoleFormatter formatter, List<string> lines) : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider? _scopes;

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(ConsoleFormatterCapture owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes?.Push(state) ?? NullScope.Instance;

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                using var writer = new StringWriter();
                owner.Format(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter), writer);
                lock (owner.Lines)
                {
                    owner.Lines.Add(writer.ToString());
                }
            }
        }

        private List<string> Lines => lines;

        private void Format<TState>(in LogEntry<TState> entry, TextWriter writer) => formatter.Write(entry, _scopes, writer);

        private sealed class NullScope : IDisposable
        {
            public static readonly NullScope Instance = new();

            public void Dispose()
            {
            }
        }
    }
}

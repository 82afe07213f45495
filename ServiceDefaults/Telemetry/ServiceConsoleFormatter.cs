using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The console format of every service: JSON lines for log collectors outside Development (timestamp, level, category,
/// message, fields, request_id, trace_id, span_id, service), readable text in Development; redacted in both.
/// </summary>
internal sealed class ServiceConsoleFormatter : ConsoleFormatter
{
    public const string FormatterName = "servicedefaults";

    [ThreadStatic]
    private static LineBuffers? _threadLine;

    private readonly TelemetryRedactor _redactor;
    private readonly IOptionsMonitor<ServiceConsoleFormatterOptions> _options;
    private readonly bool _jsonByDefault;
    private readonly string _service;

    public ServiceConsoleFormatter(
        TelemetryRedactor redactor,
        IOptionsMonitor<ServiceConsoleFormatterOptions> options,
        IHostEnvironment environment,
        IConfiguration configuration)
        : base(FormatterName)
    {
        _redactor = redactor;
        _options = options;
        _jsonByDefault = !environment.IsDevelopment();
        _service = configuration["OTEL_SERVICE_NAME"] ?? environment.ApplicationName;
    }

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        Write(logEntry, scopeProvider, buffer);
        textWriter.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <summary>Renders one line, UTF-8 with its line feed, into <paramref name="output"/> (what the stdout logger calls).</summary>
    public void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, IBufferWriter<byte> output)
    {
        // One line's working set is reused by the thread; taken off it while in use, so a nested log call gets its own.
        var line = _threadLine ?? new LineBuffers();
        _threadLine = null;
        try
        {
            var fields = line.Fields;
            var template = LogFields.Collect(logEntry.State, _redactor, fields);
            var stateCount = fields.Count;
            scopeProvider?.ForEachScope(static (scope, state) => LogFields.CollectScope(scope, state._redactor, state.fields), (_redactor, fields));

            if (template is not null)
            {
                LogFields.Render(template, fields, stateCount, line.Message);
            }
            else
            {
                line.Message.Append(logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception));
            }
            var message = RedactedMessage(line);
            var exception = logEntry.Exception is { } ex ? _redactor.Redact(ex.ToString()) : null;
            var options = _options.CurrentValue;
            var json = options.Json ?? _jsonByDefault;
            var timestamp = options.UseUtcTimestamp || json ? DateTimeOffset.UtcNow : DateTimeOffset.Now;

            if (json)
            {
                WriteJson(line.Json(output), logEntry, timestamp, message, exception, fields, stateCount);
                output.Write("\n"u8);
            }
            else
            {
                WriteText(line.Text, logEntry, timestamp, message, exception, fields, stateCount);
                foreach (var chunk in line.Text.GetChunks())
                {
                    Encoding.UTF8.GetBytes(chunk.Span, output);
                }
            }
        }
        finally
        {
            line.Clear();
            _threadLine = line;
        }
    }

    /// <summary>The rendered message, redacted; copied into a reused buffer, so a clean message costs no string.</summary>
    private ReadOnlySpan<char> RedactedMessage(LineBuffers line)
    {
        var length = line.Message.Length;
        if (line.Chars.Length < length)
        {
            line.Chars = new char[Math.Max(length, line.Chars.Length * 2)];
        }
        var chars = line.Chars.AsSpan(0, length);
        line.Message.CopyTo(0, chars, length);
        return _redactor.MayNeedRedaction(chars) ? _redactor.Redact(chars.ToString()) : chars;
    }

    private void WriteJson<TState>(Utf8JsonWriter json, in LogEntry<TState> entry, DateTimeOffset timestamp, ReadOnlySpan<char> message,
        string? exception, List<KeyValuePair<string, object?>> fields, int stateCount)
    {
        json.WriteStartObject();
        json.WriteString("timestamp", timestamp);
        json.WriteString("level", LevelName(entry.LogLevel));
        json.WriteString("category", entry.Category);
        if (entry.EventId.Id != 0)
        {
            json.WriteNumber("event_id", entry.EventId.Id);
        }
        json.WriteString("message", message);
        json.WriteString("service", _service);
        if (Activity.Current is { } activity)
        {
            json.WriteString("trace_id", activity.TraceId.ToHexString());
            json.WriteString("span_id", activity.SpanId.ToHexString());
        }
        var requestIdWritten = false;
        for (var i = stateCount; i < fields.Count; i++)
        {
            if (fields[i].Key == TelemetryTags.RequestId && !requestIdWritten)
            {
                json.WriteString(TelemetryTags.RequestId, LogFields.FormatValue(fields[i].Value));
                requestIdWritten = true;
            }
        }
        if (stateCount > 0)
        {
            json.WriteStartObject("fields");
            for (var i = 0; i < stateCount; i++)
            {
                WriteValue(json, fields[i].Key, fields[i].Value);
            }
            json.WriteEndObject();
        }
        if (fields.Count > stateCount + (requestIdWritten ? 1 : 0))
        {
            json.WriteStartObject("scope");
            for (var i = stateCount; i < fields.Count; i++)
            {
                if (fields[i].Key != TelemetryTags.RequestId)
                {
                    WriteValue(json, fields[i].Key, fields[i].Value);
                }
            }
            json.WriteEndObject();
        }
        if (exception is not null)
        {
            json.WriteString("exception", exception);
        }
        json.WriteEndObject();
        json.Flush();
    }

    private static void WriteText<TState>(StringBuilder line, in LogEntry<TState> entry, DateTimeOffset timestamp, ReadOnlySpan<char> message,
        string? exception, List<KeyValuePair<string, object?>> fields, int stateCount)
    {
        line.Append(CultureInfo.InvariantCulture, $"{timestamp:HH:mm:ss.fff}")
            .Append(' ').Append(ShortLevel(entry.LogLevel))
            .Append(' ').Append(entry.Category)
            .Append(": ").Append(message);
        for (var i = stateCount; i < fields.Count; i++)
        {
            if (fields[i].Key == TelemetryTags.RequestId)
            {
                line.Append(" [").Append(LogFields.FormatValue(fields[i].Value)).Append(']');
                break;
            }
        }
        line.Append('\n');
        if (exception is not null)
        {
            line.Append(exception).Append('\n');
        }
    }

    private static void WriteValue(Utf8JsonWriter json, string key, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNull(key);
                break;
            case bool flag:
                json.WriteBoolean(key, flag);
                break;
            case int or long or short or byte or uint or ulong or ushort or sbyte:
                json.WriteNumber(key, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case double or float or decimal:
                json.WriteNumber(key, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            default:
                json.WriteString(key, LogFields.FormatValue(value));
                break;
        }
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "Trace",
        LogLevel.Debug => "Debug",
        LogLevel.Information => "Information",
        LogLevel.Warning => "Warning",
        LogLevel.Error => "Error",
        LogLevel.Critical => "Critical",
        _ => "None",
    };

    private static string ShortLevel(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };

    /// <summary>What rendering one line needs, kept per thread between lines (disposable only for the analyzers: it lives with its thread).</summary>
    private sealed class LineBuffers : IDisposable
    {
        private const int MaxRetainedChars = 8 * 1024;

        private Utf8JsonWriter? _json;

        public List<KeyValuePair<string, object?>> Fields { get; } = new(16);

        public StringBuilder Message { get; } = new(256);

        public StringBuilder Text { get; } = new(256);

        public char[] Chars { get; set; } = new char[256];

        public Utf8JsonWriter Json(IBufferWriter<byte> output)
        {
            if (_json is null)
            {
                _json = new Utf8JsonWriter(output);
            }
            else
            {
                _json.Reset(output);
            }
            return _json;
        }

        public void Clear()
        {
            Fields.Clear();
            Message.Clear();
            Text.Clear();
            // One huge message or exception must not stay alive per thread.
            if (Message.Capacity > MaxRetainedChars || Text.Capacity > MaxRetainedChars || Chars.Length > MaxRetainedChars)
            {
                Message.Capacity = 256;
                Text.Capacity = 256;
                Chars = new char[256];
            }
            _json?.Reset(Stream.Null);
        }

        public void Dispose() => _json?.Dispose();
    }
}

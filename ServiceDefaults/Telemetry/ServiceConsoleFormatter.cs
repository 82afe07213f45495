using System.Buffers;
using System.Diagnostics;
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
        var fields = new List<KeyValuePair<string, object?>>();
        var template = LogFields.Collect(logEntry.State, _redactor, fields);
        var stateCount = fields.Count;
        scopeProvider?.ForEachScope(static (scope, state) => LogFields.CollectScope(scope, state._redactor, state.fields), (_redactor, fields));

        var message = template is not null
            ? LogFields.Render(template, fields, stateCount)
            : logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception) ?? string.Empty;
        message = _redactor.Redact(message);
        var exception = logEntry.Exception is { } ex ? _redactor.Redact(ex.ToString()) : null;
        var options = _options.CurrentValue;
        var timestamp = options.UseUtcTimestamp || (options.Json ?? _jsonByDefault) ? DateTimeOffset.UtcNow : DateTimeOffset.Now;

        if (options.Json ?? _jsonByDefault)
        {
            WriteJson(textWriter, logEntry, timestamp, message, exception, fields, stateCount);
        }
        else
        {
            WriteText(textWriter, logEntry, timestamp, message, exception, fields, stateCount);
        }
    }

    private void WriteJson<TState>(TextWriter textWriter, in LogEntry<TState> entry, DateTimeOffset timestamp, string message,
        string? exception, List<KeyValuePair<string, object?>> fields, int stateCount)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", timestamp);
            json.WriteString("level", entry.LogLevel.ToString());
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
            if (fields.Count > stateCount)
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
        }
        textWriter.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static void WriteText<TState>(TextWriter textWriter, in LogEntry<TState> entry, DateTimeOffset timestamp, string message,
        string? exception, List<KeyValuePair<string, object?>> fields, int stateCount)
    {
        var line = new StringBuilder(128)
            .Append(timestamp.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture))
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
        textWriter.WriteLine(line.ToString());
        if (exception is not null)
        {
            textWriter.WriteLine(exception);
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
}

using OpenTelemetry;
using OpenTelemetry.Logs;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Runs before the exporters: replaces attributes, scopes, message and exception of every log record with redacted
/// copies. Scopes are exported from here (the logger's own scope export is off) because they cannot be edited in place.
/// </summary>
internal sealed class RedactingLogProcessor(TelemetryRedactor redactor, LogScopeCapture scopes) : BaseProcessor<LogRecord>
{
    public override void OnEnd(LogRecord data)
    {
        var fields = new List<KeyValuePair<string, object?>>();
        var template = LogFields.Collect(data.Attributes, redactor, fields);
        var stateCount = fields.Count;
        scopes.ScopeProvider?.ForEachScope(static (scope, state) => LogFields.CollectScope(scope, state.redactor, state.fields), (redactor, fields));

        if (data.FormattedMessage is { } message)
        {
            data.FormattedMessage = redactor.Redact(template is null ? message : LogFields.Render(template, fields, stateCount));
        }
        if (template is not null)
        {
            fields.Add(new(LogFields.OriginalFormat, template));
        }
        else if (data.Body is { } body)
        {
            data.Body = redactor.Redact(body);
        }
        if (data.Exception is { } exception)
        {
            // The exporter would write the raw message and stack trace; write redacted ones under the same names.
            fields.Add(new("exception.type", exception.GetType().FullName));
            fields.Add(new("exception.message", redactor.Redact(exception.Message)));
            fields.Add(new("exception.stacktrace", redactor.Redact(exception.ToString())));
            data.Exception = null;
        }
        data.Attributes = fields;
    }
}

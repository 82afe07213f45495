using System.Diagnostics;
using OpenTelemetry;

namespace Microsoft.Extensions.Hosting;

/// <summary>Runs before the exporters: scrubs span attributes, event attributes (exception messages and stacks) and status text.</summary>
internal sealed class RedactingActivityProcessor(TelemetryRedactor redactor) : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        List<KeyValuePair<string, object?>>? changes = null;
        foreach (var (key, value) in data.TagObjects)
        {
            var redacted = redactor.RedactValue(key, value);
            if (!ReferenceEquals(redacted, value))
            {
                (changes ??= []).Add(new(key, redacted));
            }
        }
        foreach (var (key, value) in changes ?? [])
        {
            data.SetTag(key, value);
        }

        foreach (var activityEvent in data.Events)
        {
            // ActivityEvent hands out its own tag collection; editing it in place is the only way to scrub an event.
            if (activityEvent.Tags is ActivityTagsCollection tags)
            {
                foreach (var (key, value) in tags.ToArray())
                {
                    var redacted = redactor.RedactValue(key, value);
                    if (!ReferenceEquals(redacted, value))
                    {
                        tags[key] = redacted;
                    }
                }
            }
        }

        if (data.StatusDescription is { } description)
        {
            data.SetStatus(data.Status, redactor.Redact(description));
        }
    }
}

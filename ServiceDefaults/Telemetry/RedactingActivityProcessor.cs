using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using OpenTelemetry;

namespace Microsoft.Extensions.Hosting;

/// <summary>Runs before the exporters: scrubs span attributes, event attributes (exception messages and stacks) and status text.</summary>
internal sealed class RedactingActivityProcessor(TelemetryRedactor redactor) : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        // The Enumerate* methods walk the runtime's lists with struct enumerators: nothing allocated for a clean span.
        List<KeyValuePair<string, object?>>? changes = null;
        foreach (var (key, value) in data.EnumerateTagObjects())
        {
            var redacted = redactor.RedactValue(key, value);
            if (!ReferenceEquals(redacted, value))
            {
                (changes ??= []).Add(new(key, redacted));
            }
        }
        if (changes is not null)
        {
            foreach (var (key, value) in changes)
            {
                data.SetTag(key, value);
            }
        }

        foreach (ref readonly var activityEvent in data.EnumerateEvents())
        {
            List<KeyValuePair<string, object?>>? eventChanges = null;
            foreach (var (key, value) in activityEvent.EnumerateTagObjects())
            {
                var redacted = redactor.RedactValue(key, value);
                if (!ReferenceEquals(redacted, value))
                {
                    (eventChanges ??= []).Add(new(key, redacted));
                }
            }
            if (eventChanges is not null)
            {
                foreach (var change in eventChanges)
                {
                    EventTags.Set(activityEvent.Tags, change);
                }
            }
        }

        if (data.StatusDescription is { } description)
        {
            data.SetStatus(data.Status, redactor.Redact(description));
        }
    }

    /// <summary>
    /// Activity offers no way to replace an event, and an event's tags are an internal linked list of the runtime. Its
    /// own <c>Set</c> method, found once by reflection, edits them in place — the only way to scrub an event
    /// (exception messages and stacks arrive as event tags) before the exporter serializes it.
    /// </summary>
    private static class EventTags
    {
        private static readonly ConcurrentDictionary<Type, MethodInfo?> Setters = new();

        public static void Set(IEnumerable<KeyValuePair<string, object?>> tags, KeyValuePair<string, object?> tag)
        {
            if (tags is ActivityTagsCollection collection)
            {
                collection[tag.Key] = tag.Value;
                return;
            }
            var setter = Setters.GetOrAdd(tags.GetType(), static type =>
                type.GetMethod("Set", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, [typeof(KeyValuePair<string, object?>)]));
            if (setter is null)
            {
                throw new InvalidOperationException($"Cannot redact span event tags held in {tags.GetType()}: the runtime changed; update RedactingActivityProcessor.");
            }
            setter.Invoke(tags, [tag]);
        }
    }
}

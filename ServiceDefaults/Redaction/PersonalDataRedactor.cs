using Microsoft.Extensions.Compliance.Redaction;

namespace Microsoft.Extensions.Hosting;

/// <summary>Exposes <see cref="TelemetryRedactor"/>'s scrubbing through the Microsoft.Extensions.Compliance redactor contract.</summary>
internal sealed class PersonalDataRedactor(TelemetryRedactor redactor) : Redactor
{
    public override int GetRedactedLength(ReadOnlySpan<char> input) => redactor.Redact(input.ToString()).Length;

    public override int Redact(ReadOnlySpan<char> source, Span<char> destination)
    {
        var redacted = redactor.Redact(source.ToString());
        redacted.AsSpan().CopyTo(destination);
        return redacted.Length;
    }
}

using Microsoft.AspNetCore.Http;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The request id of the work in progress: taken from a valid <c>X-Request-ID</c>, generated otherwise, flowing with the
/// async context so logs and outgoing calls carry it. Background work can adopt a stored one with <see cref="Begin"/>.
/// </summary>
public static class RequestId
{
    public const string HeaderName = "X-Request-ID";

    public const int MaxLength = 128;

    private static readonly AsyncLocal<string?> CurrentValue = new();

    public static string? Current => CurrentValue.Value;

    /// <summary>Makes <paramref name="requestId"/> current until the result is disposed (e.g. a worker running a stored job).</summary>
    public static IDisposable Begin(string requestId)
    {
        if (!IsValid(requestId))
        {
            throw new ArgumentException($"A request id is 1 to {MaxLength} characters of [A-Za-z0-9._:-].", nameof(requestId));
        }
        var previous = CurrentValue.Value;
        CurrentValue.Value = requestId;
        return new Restore(previous);
    }

    /// <summary>The request id of <paramref name="context"/> (ServiceDefaults stores it as the trace identifier).</summary>
    public static string GetRequestId(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.TraceIdentifier;
    }

    public static bool IsValid(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || value.Length > MaxLength)
        {
            return false;
        }
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-'))
            {
                return false;
            }
        }
        return true;
    }

    public static string Generate() => Guid.CreateVersion7().ToString("N");

    internal static void Set(string? requestId) => CurrentValue.Value = requestId;

    private sealed class Restore(string? previous) : IDisposable
    {
        public void Dispose() => CurrentValue.Value = previous;
    }
}

namespace Microsoft.Extensions.Hosting;

/// <summary>Names ServiceDefaults puts on logs and spans.</summary>
public static class TelemetryTags
{
    /// <summary>Log scope field and span attribute holding the request id.</summary>
    public const string RequestId = "request_id";
}

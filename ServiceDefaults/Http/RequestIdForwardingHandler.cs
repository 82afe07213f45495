namespace Microsoft.Extensions.Hosting;

/// <summary>Forwards the current request id on every outgoing HttpClient call (W3C trace context travels through OpenTelemetry).</summary>
internal sealed class RequestIdForwardingHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (RequestId.Current is { } requestId && !request.Headers.Contains(RequestId.HeaderName))
        {
            request.Headers.TryAddWithoutValidation(RequestId.HeaderName, requestId);
        }
        return base.SendAsync(request, cancellationToken);
    }
}

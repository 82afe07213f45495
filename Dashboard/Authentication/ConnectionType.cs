namespace Aspire.Dashboard.Authentication;

// Which listener a connection came in on; endpoints answer only on the listeners meant for them
// (OTLP on its ports, the UI and API on the frontend's).
[Flags]
public enum ConnectionTypes
{
    None = 0,
    Frontend = 1,
    OtlpGrpc = 2,
    OtlpHttp = 4,
}

public interface IConnectionTypeFeature
{
    ConnectionTypes Types { get; }
}

internal sealed record ConnectionTypeFeature(ConnectionTypes Types) : IConnectionTypeFeature;

// Endpoint metadata: the listeners an endpoint is served on. Endpoints without it are frontend only.
public sealed record ConnectionTypeMetadata(ConnectionTypes Types);

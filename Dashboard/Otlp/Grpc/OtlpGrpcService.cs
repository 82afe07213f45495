using Aspire.Dashboard.Otlp.Ingest;
using Grpc.Core;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace Aspire.Dashboard.Otlp.Grpc;

// The three OTLP collector services' Export methods, bound by OtlpGrpcMethodProvider.
internal sealed class OtlpGrpcService(TelemetryIngestor ingestor)
{
    public Task<ExportTraceServiceResponse> ExportTraces(ReceivedMessage<ExportTraceServiceRequest> request, ServerCallContext context) =>
        Task.FromResult(ingestor.Ingest(request.GetOrThrow()));

    public Task<ExportLogsServiceResponse> ExportLogs(ReceivedMessage<ExportLogsServiceRequest> request, ServerCallContext context) =>
        Task.FromResult(ingestor.Ingest(request.GetOrThrow()));

    public Task<ExportMetricsServiceResponse> ExportMetrics(ReceivedMessage<ExportMetricsServiceRequest> request, ServerCallContext context) =>
        Task.FromResult(ingestor.Ingest(request.GetOrThrow()));
}

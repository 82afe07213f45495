using Aspire.Dashboard.Otlp.Ingest;
using Grpc.Core;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace Aspire.Dashboard.Otlp.Grpc;

internal sealed class OtlpGrpcTraceService(TelemetryIngestor ingestor) : TraceService.TraceServiceBase
{
    public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context) =>
        Task.FromResult(ingestor.Ingest(request));
}

internal sealed class OtlpGrpcLogsService(TelemetryIngestor ingestor) : LogsService.LogsServiceBase
{
    public override Task<ExportLogsServiceResponse> Export(ExportLogsServiceRequest request, ServerCallContext context) =>
        Task.FromResult(ingestor.Ingest(request));
}

internal sealed class OtlpGrpcMetricsService(TelemetryIngestor ingestor) : MetricsService.MetricsServiceBase
{
    public override Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context) =>
        Task.FromResult(ingestor.Ingest(request));
}

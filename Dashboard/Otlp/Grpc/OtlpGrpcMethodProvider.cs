using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace Aspire.Dashboard.Otlp.Grpc;

// Binds OtlpGrpcService to the collector services' Export methods with request marshallers that report
// a malformed message instead of throwing (see ReceivedMessage).
internal sealed class OtlpGrpcMethodProvider : IServiceMethodProvider<OtlpGrpcService>
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<OtlpGrpcService> context)
    {
        context.AddUnaryMethod(Export(ExportTraceServiceRequest.Descriptor, ExportTraceServiceRequest.Parser, ExportTraceServiceResponse.Parser), [], (s, r, c) => s.ExportTraces(r, c));
        context.AddUnaryMethod(Export(ExportLogsServiceRequest.Descriptor, ExportLogsServiceRequest.Parser, ExportLogsServiceResponse.Parser), [], (s, r, c) => s.ExportLogs(r, c));
        context.AddUnaryMethod(Export(ExportMetricsServiceRequest.Descriptor, ExportMetricsServiceRequest.Parser, ExportMetricsServiceResponse.Parser), [], (s, r, c) => s.ExportMetrics(r, c));
    }

    // The service and method names come from the .proto (e.g. opentelemetry.proto.collector.trace.v1.TraceService/Export).
    private static Method<ReceivedMessage<TRequest>, TResponse> Export<TRequest, TResponse>(
        MessageDescriptor request, MessageParser<TRequest> requestParser, MessageParser<TResponse> responseParser)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        var method = request.File.Services.SelectMany(s => s.Methods).Single(m => m.InputType == request);
        return new Method<ReceivedMessage<TRequest>, TResponse>(
            MethodType.Unary, method.Service.FullName, method.Name, ReceivedMessage<TRequest>.Marshaller(requestParser), Response(responseParser));
    }

    private static Marshaller<T> Response<T>(MessageParser<T> parser)
        where T : class, IMessage<T> =>
        new(
            (message, context) =>
            {
                context.SetPayloadLength(message.CalculateSize());
                message.WriteTo(context.GetBufferWriter());
                context.Complete();
            },
            context => parser.ParseFrom(context.PayloadAsReadOnlySequence()));
}

using Grpc.Core;
using Grpc.Net.Client;

namespace OtlpIngest;

// Sends pre-serialized OTLP requests, so the measured time is the dashboard's, not the client's serializer.
internal sealed class RawOtlpClient(GrpcChannel channel, string apiKey)
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);
    private readonly Metadata _headers = [new("x-otlp-api-key", apiKey)];

    public async Task ExportAsync(string service, byte[] request)
    {
        var method = new Method<byte[], byte[]>(MethodType.Unary, $"opentelemetry.proto.collector.{service}.v1.{Pascal(service)}Service", "Export", Bytes, Bytes);
        await channel.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(_headers), request);
    }

    // Sends every batch over `concurrency` parallel calls; returns the elapsed time.
    public async Task<TimeSpan> ExportAllAsync(string service, IReadOnlyList<byte[]> batches, int concurrency)
    {
        var next = -1;
        var started = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < batches.Count)
            {
                await ExportAsync(service, batches[index]);
            }
        }));
        return started.Elapsed;
    }

    private static string Pascal(string service) => service switch
    {
        "trace" => "Trace",
        "logs" => "Logs",
        _ => "Metrics",
    };
}

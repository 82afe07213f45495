using Google.Protobuf;
using Grpc.Core;

namespace Aspire.Dashboard.Otlp.Grpc;

// A request message as it came off the wire: parsed, or the reason it did not parse. gRPC's generated
// marshallers throw while parsing, before any handler runs, and the call then ends UNKNOWN; carrying the
// failure to the handler lets it answer INVALID_ARGUMENT, the OTLP error response for a malformed request.
internal sealed class ReceivedMessage<T>
    where T : class, IMessage<T>
{
    private readonly T? _message;
    private readonly string? _error;

    private ReceivedMessage(T? message, string? error) => (_message, _error) = (message, error);

    public T GetOrThrow() => _message ?? throw new RpcException(new Status(StatusCode.InvalidArgument, _error!));

    public static Marshaller<ReceivedMessage<T>> Marshaller(MessageParser<T> parser) => new(
        (_, _) => throw new NotSupportedException("Requests are only received."),
        context =>
        {
            try
            {
                return new ReceivedMessage<T>(parser.ParseFrom(context.PayloadAsReadOnlySequence()), null);
            }
            catch (InvalidProtocolBufferException e)
            {
                return new ReceivedMessage<T>(null, $"The request is not a valid {typeof(T).Name}: {e.Message}");
            }
        });
}

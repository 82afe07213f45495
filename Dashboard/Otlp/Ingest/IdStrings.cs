using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Google.Protobuf;

namespace Aspire.Dashboard.Otlp.Ingest;

// Hex strings for the trace and span ids of one request. A batch carries each trace id once per span
// and each parent span id as some other span's id: one string per distinct id is stored instead of
// one per occurrence, which is most of the id memory the trace store holds.
internal sealed class IdStrings
{
    private readonly Dictionary<UInt128, string> _traceIds = [];
    private readonly Dictionary<ulong, string> _spanIds = [];

    public string TraceId(ByteString id) => Get(_traceIds, id, 16, static bytes => BinaryPrimitives.ReadUInt128BigEndian(bytes));

    public string SpanId(ByteString id) => Get(_spanIds, id, 8, static bytes => BinaryPrimitives.ReadUInt64BigEndian(bytes));

    // Ids of another length are invalid and rare: converted, not cached.
    private static string Get<TKey>(Dictionary<TKey, string> cache, ByteString id, int length, Func<ReadOnlySpan<byte>, TKey> key)
        where TKey : notnull
    {
        if (id.Length != length)
        {
            return OtlpConverter.ToHex(id);
        }

        ref var hex = ref CollectionsMarshal.GetValueRefOrAddDefault(cache, key(id.Span), out _);
        return hex ??= OtlpConverter.ToHex(id);
    }
}

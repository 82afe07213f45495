using System.Buffers.Binary;
using Google.Protobuf;

namespace Aspire.Dashboard.Otlp.Ingest;

// Hex strings for the trace and span ids of one request. A batch carries each trace id once per span
// and each parent span id as some other span's id: one string per distinct id is stored instead of
// one per occurrence, which is most of the id memory the trace store holds.
internal sealed class IdStrings
{
    private readonly Dictionary<UInt128, string> _traceIds = [];
    private readonly Dictionary<ulong, string> _spanIds = [];

    public string TraceId(ByteString id)
    {
        if (id.Length != 16)
        {
            return OtlpConverter.ToHex(id);
        }

        var key = BinaryPrimitives.ReadUInt128BigEndian(id.Span);
        if (!_traceIds.TryGetValue(key, out var hex))
        {
            hex = OtlpConverter.ToHex(id);
            _traceIds.Add(key, hex);
        }

        return hex;
    }

    public string SpanId(ByteString id)
    {
        if (id.Length != 8)
        {
            return OtlpConverter.ToHex(id);
        }

        var key = BinaryPrimitives.ReadUInt64BigEndian(id.Span);
        if (!_spanIds.TryGetValue(key, out var hex))
        {
            hex = OtlpConverter.ToHex(id);
            _spanIds.Add(key, hex);
        }

        return hex;
    }
}

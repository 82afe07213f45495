using System.Buffers.Text;

namespace Api.Infrastructure;

/// <summary>The opaque keyset cursor of <c>GET /jobs</c>: a version byte and the last id seen, base64url.</summary>
internal static class Cursor
{
    private const byte Version = 1;

    public static string Encode(Guid lastId)
    {
        Span<byte> bytes = stackalloc byte[17];
        bytes[0] = Version;
        lastId.TryWriteBytes(bytes[1..], bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryDecode(string cursor, out Guid lastId)
    {
        lastId = default;
        Span<byte> bytes = stackalloc byte[18];
        if (cursor.Length > 32 || !Base64Url.TryDecodeFromChars(cursor, bytes, out var written) || written != 17 || bytes[0] != Version)
        {
            return false;
        }
        lastId = new Guid(bytes[1..17], bigEndian: true);
        return true;
    }
}

using System.Buffers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Holds only SHA-256 hashes of the configured keys and follows configuration reloads. A presented key is hashed and
/// compared with every stored hash in constant time, so neither the key nor which entry matched leaks through timing.
/// </summary>
public sealed class ApiKeyStore : IDisposable
{
    private readonly IDisposable? _subscription;
    private volatile ApiKeyEntry[] _entries;

    public ApiKeyStore(IOptionsMonitor<ApiKeyOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _entries = Build(options.CurrentValue);
        _subscription = options.OnChange(o => _entries = Build(o));
    }

    public bool HasKeys => _entries.Length > 0;

    public ApiKeyEntry? Find(ReadOnlySpan<char> presentedKey)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Hash(presentedKey, hash);

        ApiKeyEntry? match = null;
        foreach (var entry in _entries)
        {
            // No early exit: every entry is compared whatever the outcome.
            if (CryptographicOperations.FixedTimeEquals(entry.Hash, hash))
            {
                match ??= entry;
            }
        }
        return match;
    }

    public static string ComputeSha256Hex(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Hash(key, hash);
        return Convert.ToHexStringLower(hash);
    }

    public void Dispose() => _subscription?.Dispose();

    internal static bool TryParseHash(string? text, out byte[] hash)
    {
        hash = [];
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        text = text.Trim();
        if (text.Length == SHA256.HashSizeInBytes * 2)
        {
            try
            {
                hash = Convert.FromHexString(text);
                return true;
            }
            catch (FormatException)
            {
                return false;
            }
        }
        var buffer = new byte[SHA256.HashSizeInBytes];
        if (Convert.TryFromBase64String(text, buffer, out var written) && written == buffer.Length)
        {
            hash = buffer;
            return true;
        }
        return false;
    }

    private static void Hash(ReadOnlySpan<char> key, Span<byte> destination)
    {
        var byteCount = Encoding.UTF8.GetByteCount(key);
        var buffer = ArrayPool<byte>.Shared.Rent(byteCount);
        try
        {
            var written = Encoding.UTF8.GetBytes(key, buffer);
            SHA256.HashData(buffer.AsSpan(0, written), destination);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer.AsSpan(0, byteCount));
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static ApiKeyEntry[] Build(ApiKeyOptions options)
    {
        var entries = new List<ApiKeyEntry>();
        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var key = options.ApiKeys[i];
            if (string.IsNullOrWhiteSpace(key))
            {
                continue;
            }
            var hash = new byte[SHA256.HashSizeInBytes];
            Hash(key, hash);
            entries.Add(new ApiKeyEntry($"key-{i}", hash, [ApiKeyDefaults.AllScopes]));
        }
        foreach (var key in options.Keys)
        {
            // Validation at start-up rejects malformed entries; a bad reload keeps them out rather than crash.
            if (TryParseHash(key.Sha256, out var hash))
            {
                entries.Add(new ApiKeyEntry(key.Name ?? Convert.ToHexStringLower(hash.AsSpan(0, 8)), hash, [.. key.Scopes]));
            }
        }
        return [.. entries];
    }
}

public sealed record ApiKeyEntry(string Name, byte[] Hash, IReadOnlyList<string> Scopes)
{
    /// <summary>A stable, non-secret identifier of the key (first 8 bytes of its hash, hex), e.g. for per-key partitions.</summary>
    public string KeyId { get; } = KeyIdOf(Hash);

    /// <summary>
    /// Who a request made with this key is: its name, <see cref="KeyId"/> and a <c>scope</c> claim per scope. Built with
    /// the entry (entries are rebuilt when configuration changes) and read-only, so requests share it.
    /// </summary>
    internal ClaimsIdentity Identity { get; } = new ApiKeyIdentity(
    [
        new(ClaimTypes.Name, Name),
        new(ApiKeyDefaults.KeyIdClaimType, KeyIdOf(Hash)),
        .. Scopes.Select(scope => new Claim(ApiKeyDefaults.ScopeClaimType, scope)),
    ]);

    // Initializers cannot read KeyId, so both take it from here.
    private static string KeyIdOf(byte[] hash) => Convert.ToHexStringLower(hash.AsSpan(0, 8));
}

using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Worker.Outbound;

/// <summary>
/// The host allow-list for outbound calls. Names are checked before a request; resolved addresses are checked again
/// at connect time, so a name that resolves to an internal address (DNS rebinding) is refused too.
/// </summary>
public sealed class OutboundGuard(IOptions<OutboundOptions> options)
{
    public void EnsureAllowed(Uri url)
    {
        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            throw new OutboundRefusedException($"Scheme '{url.Scheme}' is not allowed; use http or https.");
        }
        var allowed = options.Value.AllowedHosts;
        if (allowed.Length > 0 && !allowed.Any(pattern => Matches(pattern, url.IdnHost)))
        {
            throw new OutboundRefusedException($"Host '{url.IdnHost}' is not in Jobs:Outbound:AllowedHosts.");
        }
        if (IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var address))
        {
            EnsureAllowed(address, url.IdnHost);
        }
    }

    /// <summary>The <see cref="SocketsHttpHandler.ConnectCallback"/>: connects only to allowed addresses.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        foreach (var address in addresses)
        {
            EnsureAllowed(address, host);
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private void EnsureAllowed(IPAddress address, string host)
    {
        if (!options.Value.AllowPrivateNetworks && IsInternal(address))
        {
            throw new OutboundRefusedException($"Host '{host}' resolves to a loopback, private or link-local address; set Jobs:Outbound:AllowPrivateNetworks to allow it.");
        }
    }

    internal static bool Matches(string pattern, string host) =>
        pattern.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);

    internal static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var first = address.GetAddressBytes()[0];
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (first & 0xfe) == 0xfc; // fc00::/7 unique local
        }
        var b = address.GetAddressBytes();
        return b[0] == 10                                   // 10.0.0.0/8
            || b[0] == 0                                    // 0.0.0.0/8
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)    // 172.16.0.0/12
            || (b[0] == 192 && b[1] == 168)                 // 192.168.0.0/16
            || (b[0] == 169 && b[1] == 254)                 // link-local, cloud metadata
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)   // carrier-grade NAT
            || b[0] >= 224;                                 // multicast and reserved
    }
}

/// <summary>An outbound call refused by the allow-list; the job fails with type <c>outbound_refused</c>.</summary>
public sealed class OutboundRefusedException(string message) : Exception(message);

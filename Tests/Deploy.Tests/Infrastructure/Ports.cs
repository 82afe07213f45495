using System.Net;
using System.Net.Sockets;

namespace Deploy.Tests.Infrastructure;

public static class Ports
{
    /// <summary>A loopback port free at the time of the call (the kernel picks it).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

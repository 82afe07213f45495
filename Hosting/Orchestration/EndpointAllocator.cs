using System.Net;
using System.Net.Sockets;
using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting.Orchestration;

/// <summary>A port the AppHost listens on and forwards round-robin to the replicas of a resource.</summary>
internal sealed record ProxySpec(IResource Resource, EndpointAnnotation Endpoint, int PublicPort);

/// <summary>
/// Gives every endpoint its public port (fixed unless ports are randomised, free otherwise) and every instance the
/// ports it listens on. A fixed port that is taken stops start-up with a message naming the resource.
/// </summary>
internal static class EndpointAllocator
{
    public static (Dictionary<IResource, List<Dictionary<string, AllocatedEndpoint>>> Instances, List<ProxySpec> Proxies) Allocate(
        IEnumerable<IResource> resources, bool randomizePorts)
    {
        var instances = new Dictionary<IResource, List<Dictionary<string, AllocatedEndpoint>>>();
        var proxies = new List<ProxySpec>();
        var claimed = new HashSet<int>();

        foreach (var resource in resources)
        {
            var replicas = resource.Annotations.OfType<ReplicaAnnotation>().LastOrDefault()?.Replicas ?? 1;
            var perInstance = Enumerable.Range(0, replicas).Select(_ => new Dictionary<string, AllocatedEndpoint>()).ToList();
            foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>())
            {
                var fixedPort = randomizePorts ? null : endpoint.Port;
                var publicPort = fixedPort ?? FreePort(claimed);
                if (fixedPort is { } port && (!claimed.Add(port) || !IsFree(port)))
                {
                    throw new DistributedApplicationException(
                        $"Resource '{resource.Name}' endpoint '{endpoint.Name}' needs port {port}, which is already in use. " +
                        $"Stop whatever listens on it (`ss -ltnp 'sport = :{port}'` shows it), or give the endpoint another port in the AppHost.");
                }

                endpoint.AllocatedEndpoint = new AllocatedEndpoint(endpoint, "localhost", publicPort);

                // Executables that listen on a fixed port of their own keep it; everything else listens where it is told.
                var listenPort = resource is ExecutableResource && endpoint.TargetPort is { } target ? target : (int?)null;
                if (replicas > 1 && listenPort is not null)
                {
                    throw new DistributedApplicationException(
                        $"Resource '{resource.Name}' has {replicas} replicas but endpoint '{endpoint.Name}' listens on the fixed port {listenPort}; replicas need ports they can be told.");
                }

                var proxied = replicas > 1 || (listenPort is { } own && own != publicPort);
                if (proxied)
                {
                    proxies.Add(new ProxySpec(resource, endpoint, publicPort));
                }

                foreach (var map in perInstance)
                {
                    var instancePort = proxied ? listenPort ?? FreePort(claimed) : publicPort;
                    map[endpoint.Name] = new AllocatedEndpoint(endpoint, "localhost", instancePort);
                }
            }

            instances[resource] = perInstance;
        }

        return (instances, proxies);
    }

    internal static bool IsFree(int port)
    {
        foreach (var address in new[] { IPAddress.Loopback, IPAddress.IPv6Loopback, IPAddress.Any })
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6 && !Socket.OSSupportsIPv6)
            {
                continue;
            }

            try
            {
                using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);

                // As Kestrel does: connections in TIME_WAIT from a previous run must not count as "in use".
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                socket.Bind(new IPEndPoint(address, port));
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
            {
                return false;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressNotAvailable)
            {
                // No such interface here (e.g. IPv6 disabled): nothing can hold the port on it.
            }
        }

        return true;
    }

    private static int FreePort(HashSet<int> claimed)
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (claimed.Add(port))
            {
                return port;
            }
        }
    }
}

using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting.Orchestration;

/// <summary>
/// Listens on a resource's public port and forwards each TCP connection to the next running replica, so clients see
/// one endpoint (<c>services__api__http__0</c>) whatever the replica count, as Aspire's proxy does.
/// </summary>
internal sealed class ReplicaProxy : IAsyncDisposable
{
    private readonly List<TcpListener> _listeners = [];
    private readonly Func<IReadOnlyList<int>> _backendPorts;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _acceptLoops = [];
    private int _next;

    public ReplicaProxy(int port, Func<IReadOnlyList<int>> backendPorts, ILogger logger)
    {
        _backendPorts = backendPorts;
        _logger = logger;
        _listeners.Add(new TcpListener(IPAddress.Loopback, port));
        if (Socket.OSSupportsIPv6)
        {
            _listeners.Add(new TcpListener(IPAddress.IPv6Loopback, port));
        }
    }

    public void Start()
    {
        foreach (var listener in _listeners.ToList())
        {
            try
            {
                listener.Start();
                _acceptLoops.Add(AcceptLoopAsync(listener));
            }
            catch (SocketException) when (listener.LocalEndpoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                _listeners.Remove(listener);
            }
        }
    }

    private async Task AcceptLoopAsync(TcpListener listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        using (client)
        {
            client.NoDelay = true;
            using var backend = await ConnectToReplicaAsync();
            if (backend is null)
            {
                return;
            }

            await using var clientStream = new NetworkStream(client, ownsSocket: false);
            await using var backendStream = new NetworkStream(backend, ownsSocket: false);
            var upstream = PumpAsync(client, clientStream, backend, backendStream);
            var downstream = PumpAsync(backend, backendStream, client, clientStream);
            await Task.WhenAll(upstream, downstream);
        }
    }

    private async Task<Socket?> ConnectToReplicaAsync()
    {
        var ports = _backendPorts();
        for (var attempt = 0; attempt < ports.Count; attempt++)
        {
            var port = ports[(int)((uint)Interlocked.Increment(ref _next) % (uint)ports.Count)];
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(2));
                await socket.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
                return socket;
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                socket.Dispose();
                _logger.LogDebug("Replica on port {Port} refused a proxied connection: {Error}", port, ex.Message);
            }
        }

        return null;
    }

    // Copies one direction, then half-closes the other side; if either side fails, both are closed so neither hangs.
    private static async Task PumpAsync(Socket fromSocket, NetworkStream from, Socket toSocket, NetworkStream to)
    {
        try
        {
            await from.CopyToAsync(to);
            toSocket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            fromSocket.Close();
            toSocket.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        foreach (var listener in _listeners)
        {
            listener.Stop();
        }

        await Task.WhenAll(_acceptLoops);
        _stopping.Dispose();
    }
}

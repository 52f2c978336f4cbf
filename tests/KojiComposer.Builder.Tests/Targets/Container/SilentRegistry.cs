using System.Net;
using System.Net.Sockets;

namespace KojiComposer.Builder.Tests.Targets.Container;

/// <summary>A TCP listener on loopback port 0 that accepts connections and never answers (a registry that hangs),
/// or, made with drop, closes each connection once a request came (a registry that drops them).</summary>
internal sealed class SilentRegistry : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _clients = [];
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _drop;

    public SilentRegistry(bool drop = false)
    {
        _drop = drop;
        _listener.Start();
        _ = AcceptAsync();
    }

    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Completes when the first connection came in.</summary>
    public Task Connected => _connected.Task;

    public void Dispose()
    {
        _listener.Stop();
        lock (_clients)
        {
            _clients.ForEach(c => c.Dispose());
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync();
                _connected.TrySetResult();
                if (_drop)
                {
                    _ = DropAsync(client);
                    continue;
                }

                lock (_clients)
                {
                    _clients.Add(client);
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    private static async Task DropAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                _ = await client.GetStream().ReadAsync(new byte[4096]);
            }
            catch (IOException)
            {
            }
        }
    }
}

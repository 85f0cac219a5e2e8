using System.Net.Sockets;
using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.Remote;
using NanoAgent.Host.Se;

namespace NanoAgent.Host.Remote;

/// <summary>
/// Connects to a lab's test tool over TCP as the SE side (client) of the GlobalPlatform SE Abstract Communication Layer
/// and serves it from an opened SE connection until the tool disconnects.
/// </summary>
public static class RemoteToolClient
{
    /// <summary>The longest APDU the host carries: an extended-length command or response.</summary>
    public const int HostMaxApdu = 65546;

    /// <summary>Connects, sends the name and serves commands.</summary>
    /// <param name="tool">Where the test tool listens.</param>
    /// <param name="name">The client name to send.</param>
    /// <param name="connection">The SE connection, already opened.</param>
    /// <param name="log">Where to print one line per command, or null.</param>
    /// <param name="served">Receives the number of commands answered.</param>
    /// <param name="stop">Ends the session (SIGTERM): no command is read after it, the answer being sent still goes out.</param>
    /// <returns>How the session ended (<see cref="RemoteSessionEnd.ToolClosed"/> after a stop between messages).</returns>
    /// <exception cref="SocketException">The test tool cannot be reached.</exception>
    /// <exception cref="OperationCanceledException">Stopped while connecting.</exception>
    /// <exception cref="RemoteException">The connection broke during the session (or a stop came inside a message).</exception>
    public static RemoteSessionEnd Serve(ToolAddress tool, string name, SeConnection connection, TextWriter? log, out int served, CancellationToken stop = default)
    {
        served = 0;
        using var client = new TcpClient();
        client.NoDelay = true;
        client.ConnectAsync(tool.Host, tool.Port, stop).AsTask().GetAwaiter().GetResult();
        using NetworkStream network = client.GetStream();
        // Shutting the receiving side makes the blocked read return "closed", so the session ends between messages.
        using CancellationTokenRegistration onStop = stop.Register(() => ShutdownReceive(client));
        var se = new TransportRemoteSe(connection.Transport, connection.BusDescription);
        var session = new RemoteSeSession(new StreamByteStream(network), se, SystemClock.Instance, HostMaxApdu,
            log is null ? null : new RemoteLog(log));
        try
        {
            session.SendName(name);
            return session.Run();
        }
        finally
        {
            served = session.RequestsServed;
        }
    }

    private static void ShutdownReceive(TcpClient client)
    {
        try
        {
            client.Client.Shutdown(SocketShutdown.Receive);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed: the session ends by itself.
        }
    }
}

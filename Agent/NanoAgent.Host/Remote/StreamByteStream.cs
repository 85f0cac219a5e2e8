using NanoAgent.Drivers.Remote;

namespace NanoAgent.Host.Remote;

/// <summary>An <see cref="IByteStream"/> over a .NET stream (a TCP <see cref="System.Net.Sockets.NetworkStream"/>).</summary>
/// <param name="stream">The stream; not owned.</param>
public sealed class StreamByteStream(Stream stream) : IByteStream
{
    /// <inheritdoc />
    public int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            return stream.Read(buffer, offset, count);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            throw new RemoteException(RemoteError.Network, "the connection to the test tool failed: " + e.Message, e);
        }
    }

    /// <inheritdoc />
    public void Write(byte[] buffer, int offset, int count)
    {
        try
        {
            stream.Write(buffer, offset, count);
            stream.Flush();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            throw new RemoteException(RemoteError.Network, "the connection to the test tool failed: " + e.Message, e);
        }
    }
}

using NanoAgent.Drivers.Remote;

namespace NanoAgent.Drivers.Tests.Remote;

/// <summary>A byte stream whose input is fixed up front (delivered in small pieces) and whose output is recorded.</summary>
public sealed class ScriptedStream(byte[] input, int piece = 3) : IByteStream
{
    private int _position;

    public MemoryStream Written { get; } = new();

    public int Read(byte[] buffer, int offset, int count)
    {
        int n = Math.Min(Math.Min(count, piece), input.Length - _position);
        Array.Copy(input, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    public void Write(byte[] buffer, int offset, int count) => Written.Write(buffer, offset, count);

    /// <summary>Frames messages as the README's "Message Format" says: 32-bit big-endian length, then the body.</summary>
    public static byte[] Frames(params string[] bodies)
    {
        var all = new MemoryStream();
        foreach (string body in bodies)
        {
            byte[] bytes = System.Text.Encoding.ASCII.GetBytes(body);
            all.Write([(byte)(bytes.Length >> 24), (byte)(bytes.Length >> 16), (byte)(bytes.Length >> 8), (byte)bytes.Length]);
            all.Write(bytes);
        }

        return all.ToArray();
    }

    /// <summary>Splits what was written back into message bodies.</summary>
    public List<string> WrittenBodies()
    {
        byte[] data = Written.ToArray();
        var bodies = new List<string>();
        int pos = 0;
        while (pos < data.Length)
        {
            int length = (data[pos] << 24) | (data[pos + 1] << 16) | (data[pos + 2] << 8) | data[pos + 3];
            bodies.Add(System.Text.Encoding.ASCII.GetString(data, pos + 4, length));
            pos += 4 + length;
        }

        return bodies;
    }
}

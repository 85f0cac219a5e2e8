using NanoAgent.Drivers.Apdu;

namespace NanoAgent.Drivers.Tests.Apdu;

/// <summary>
/// A card stand-in for <see cref="IApduTransport"/>: answers each command with the next scripted response (or with a
/// responder function) and records every command it was sent, in hex. Honours the response capacity the way a real
/// transport reports it: it writes what fits and returns the full length, so the channel must notice the overflow.
/// </summary>
public sealed class ScriptedApduTransport : IApduTransport
{
    private readonly Queue<byte[]> _script = new();
    private readonly Func<byte[], byte[]>? _responder;

    public ScriptedApduTransport(params string[] responses)
    {
        foreach (string hex in responses)
        {
            _script.Enqueue(Hex.Parse(hex));
        }
    }

    public ScriptedApduTransport(Func<byte[], byte[]> responder)
    {
        _responder = responder;
    }

    public List<string> Sent { get; } = new();

    public int Remaining => _script.Count;

    public int Transceive(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset)
    {
        byte[] cmd = command.AsSpan(commandOffset, commandCount).ToArray();
        Sent.Add(Hex.Of(cmd));
        byte[] rsp = _responder != null
            ? _responder(cmd)
            : _script.Count > 0 ? _script.Dequeue() : throw new InvalidOperationException("The script has no response left for " + Hex.Of(cmd));
        int fits = Math.Min(rsp.Length, response.Length - responseOffset);
        Array.Copy(rsp, 0, response, responseOffset, fits);
        return rsp.Length;
    }
}

using NanoAgent.Agent.Gating;

namespace NanoAgent.Host.Gate;

/// <summary>
/// A relay pin stand-in that records every command applied. Commands: '00' open, '01' close; the result is the new
/// state byte. Anything else is refused (-1) and not recorded.
/// </summary>
public sealed class RecordingRelay : IActuator
{
    private readonly List<byte[]> _applied = [];
    private readonly object _lock = new();

    /// <summary>Gets a value indicating whether the relay is closed.</summary>
    public bool IsClosed { get; private set; }

    /// <summary>Gets the commands applied, in order.</summary>
    public IReadOnlyList<byte[]> Applied
    {
        get
        {
            lock (_lock)
            {
                return _applied.ToArray();
            }
        }
    }

    /// <inheritdoc />
    public int Apply(byte[] command, int offset, int count, byte[] result, int resultOffset)
    {
        if (count != 1 || command[offset] > 1)
        {
            return -1;
        }

        lock (_lock)
        {
            IsClosed = command[offset] == 1;
            _applied.Add(command.AsSpan(offset, count).ToArray());
        }

        result[resultOffset] = (byte)(IsClosed ? 1 : 0);
        return 1;
    }
}

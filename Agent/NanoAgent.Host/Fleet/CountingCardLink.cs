using NanoAgent.Drivers.Apdu;
using NanoAgent.VirtualSe.Card;

namespace NanoAgent.Host.Fleet;

/// <summary>
/// A simulated device's SE link: the virtual card manager, one command at a time, counting the commands that reach the
/// card by instruction byte, so a test can check on the SE itself how often a script's commands ran.
/// </summary>
public sealed class CountingCardLink : IApduTransport
{
    private readonly CardManager _card;
    private readonly int[] _byIns = new int[256];
    private readonly object _gate = new();
    private readonly TimeSpan _latency;

    /// <summary>Creates the link.</summary>
    /// <param name="card">The card.</param>
    /// <param name="latency">How long each command takes (a real SE05x takes milliseconds to tens of milliseconds); zero for none.</param>
    public CountingCardLink(CardManager card, TimeSpan latency = default)
    {
        _card = card;
        _latency = latency;
    }

    /// <summary>Returns how many commands with an instruction byte reached the card.</summary>
    /// <param name="ins">The INS byte.</param>
    /// <returns>The count.</returns>
    public int Count(byte ins) => Volatile.Read(ref _byIns[ins]);

    /// <summary>Reads the card's state between commands.</summary>
    /// <typeparam name="T">What is read.</typeparam>
    /// <param name="read">Reads it.</param>
    /// <returns>What was read.</returns>
    public T Inspect<T>(Func<CardManager, T> read)
    {
        lock (_gate)
        {
            return read(_card);
        }
    }

    /// <inheritdoc />
    public int Transceive(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset)
    {
        lock (_gate)
        {
            if (commandCount >= 2)
            {
                _byIns[command[commandOffset + 1]]++;
            }

            if (_latency > TimeSpan.Zero)
            {
                Thread.Sleep(_latency);
            }

            return _card.Process(command.AsSpan(commandOffset, commandCount), response.AsSpan(responseOffset));
        }
    }
}

using NanoAgent.Drivers.Apdu;
using NanoAgent.VirtualSe.Card;

namespace NanoAgent.Agent.Tests.Fakes;

/// <summary>The trivial <see cref="IApduTransport"/> over a virtual card: logs and counts every APDU, can fail at one.</summary>
public sealed class CardTransport(IApduProcessor card) : IApduTransport
{
    private readonly byte[] _rsp = new byte[65538];

    /// <summary>Gets every command the card received (or was about to receive when a fault struck), in order.</summary>
    public List<byte[]> Log { get; } = [];

    /// <summary>Gets every answer the card gave (data and SW), in order (none for a command a fault cut).</summary>
    public List<byte[]> Answers { get; } = [];

    /// <summary>Gets the number of Transceive calls.</summary>
    public int Commands => Log.Count;

    /// <summary>Gets or sets the 1-based command number at which <see cref="Fault"/> is thrown after the card processed it.</summary>
    public int FailAt { get; set; } = -1;

    /// <summary>Gets or sets what is thrown at <see cref="FailAt"/>.</summary>
    public Func<Exception> Fault { get; set; } = () => new PowerCutException();

    public int Transceive(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset)
    {
        Log.Add(command.AsSpan(commandOffset, commandCount).ToArray());
        int n = card.Process(command.AsSpan(commandOffset, commandCount), _rsp);
        if (Commands == FailAt)
        {
            // The card ran the command; the answer never comes back (power cut or broken link).
            throw Fault();
        }

        Answers.Add(_rsp.AsSpan(0, n).ToArray());
        _rsp.AsSpan(0, n).CopyTo(response.AsSpan(responseOffset));
        return n;
    }
}

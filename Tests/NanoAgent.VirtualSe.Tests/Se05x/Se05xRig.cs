using NanoAgent.Drivers.Se05x;
using NanoAgent.VirtualSe.Se05x;
using NanoAgent.VirtualSe.Se05x.I2cm;
using NanoAgent.VirtualSe.Se05x.State;

namespace NanoAgent.VirtualSe.Tests.Se05x;

/// <summary>
/// A virtual SE05x driven at the APDU level (no bus): the IoT applet selected, commands built with the production
/// encoders of Drivers/NanoAgent.Drivers/Se05x, answers split into data and status word.
/// </summary>
internal sealed class Se05xRig
{
    public Se05xRig(int appletMajor = 3, string? path = null, bool select = true)
    {
        Sensors = new VirtualSensorBus();
        Options = new Se05xCardOptions { AppletMajor = appletMajor, SensorBus = Sensors };
        Store = path is null ? Se05xStateStore.InMemory(appletMajor) : Se05xStateStore.ForFile(path, appletMajor);
        Card = new Se05xCard(Store, Options);
        if (select)
        {
            Select();
        }
    }

    public Se05xCardOptions Options { get; }

    public VirtualSensorBus Sensors { get; }

    public Se05xStateStore Store { get; private set; }

    public Se05xCard Card { get; private set; }

    public Se05xObjectCommands Objects { get; } = new();

    public Se05xCryptoCommands Crypto { get; } = new();

    public byte[] Buffer { get; } = new byte[Se05xObjectCommands.MaxCommandLength + 64];

    /// <summary>Restarts the card from its store (power off and on).</summary>
    public void Reboot()
    {
        Card = new Se05xCard(Store, Options);
        Select();
    }

    public Reply Select()
    {
        int n = Objects.Select(Buffer, 0);
        return Send(Buffer, n);
    }

    public Reply Send(string hex)
    {
        byte[] apdu = Hex.Parse(hex);
        return Send(apdu, apdu.Length);
    }

    public Reply Send(byte[] apdu, int length)
    {
        var response = new byte[70000];
        int n = Card.Process(apdu.AsSpan(0, length), response);
        return n == 0 ? new Reply([], 0) : new Reply(response[..(n - 2)], (ushort)((response[n - 2] << 8) | response[n - 1]));
    }

    /// <summary>Sends a command a builder wrote into <see cref="Buffer"/>.</summary>
    public Reply Run(int length) => Send(Buffer, length);

    public static byte[] Policy(params (uint AuthId, uint Rules)[] sets)
    {
        var policy = new byte[sets.Length * Se05xPolicy.EntryLength];
        for (int i = 0; i < sets.Length; i++)
        {
            Se05xPolicy.WriteEntry(sets[i].AuthId, sets[i].Rules, policy, i * Se05xPolicy.EntryLength);
        }

        return policy;
    }

    /// <summary>An answer: the data before the status word, and the status word (0 when the card answered nothing).</summary>
    internal readonly record struct Reply(byte[] Data, ushort Sw)
    {
        public string Hex => Tests.Hex.Of(Data);

        /// <summary>The whole answer as the host sees it: data then status word.</summary>
        public byte[] Whole => [.. Data, (byte)(Sw >> 8), (byte)Sw];
    }
}

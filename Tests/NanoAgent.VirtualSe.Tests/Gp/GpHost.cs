using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Gp;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Scp03;
using NanoAgent.VirtualSe.Card;

namespace NanoAgent.VirtualSe.Tests.Gp;

/// <summary>The host side of the tests: the real ApduChannel and Scp03HostSession over a card manager.</summary>
internal sealed class GpHost
{
    private readonly ApduChannel _channel;
    private readonly byte[] _apdu = new byte[300];
    private readonly byte[] _wire = new byte[300];
    private readonly byte[] _response = new byte[70000];

    public GpHost(CardManager card)
    {
        _channel = new ApduChannel(new Transport(card));
    }

    public Scp03HostSession? Session { get; private set; }

    public static Scp03StaticKeys Keys(byte kvn, byte seed) =>
        new(BouncyCastleAesFactory.Instance, kvn, Fill(seed), Fill((byte)(seed + 1)), Fill((byte)(seed + 2)));

    public static Scp03StaticKeys InitialKeys() =>
        Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, 0xFF, Hex.Parse("404142434445464748494A4B4C4D4E4F"));

    /// <summary>Sends a plain command; returns data and status word as hex.</summary>
    public string Plain(Func<byte[], int> build)
    {
        int n = build(_apdu);
        int r = _channel.Transmit(_apdu, 0, n, _response, 0);
        return Hex.Of(_response, 0, r);
    }

    public string Select(byte[] aid) => Plain(b => GpSelect.Build(aid, 0, aid.Length, b, 0));

    /// <summary>Selects an SD and opens a session; returns the EXTERNAL AUTHENTICATE status word (or the first failure).</summary>
    public string Open(byte[] sdAid, Scp03StaticKeys keys, byte level = 0x33)
    {
        Select(sdAid);
        Session = new Scp03HostSession(keys, 8);
        byte[] challenge = new byte[8];
        Random.Shared.NextBytes(challenge);
        int n = Session.BuildInitializeUpdate(challenge, 0, _apdu, 0);
        int r = _channel.Transmit(_apdu, 0, n, _response, 0);
        if (r == 2)
        {
            return Hex.Of(_response, 0, 2);
        }

        try
        {
            Session.ProcessInitializeUpdateResponse(_response, 0, r);
        }
        catch (SecureChannelException)
        {
            // Wrong keys: answer with a forged EXTERNAL AUTHENTICATE so the card counts the failure.
            return Hex.Of(_response, r - 2, 2) == "9000" ? ForgedAuthenticate() : "CRYPTOGRAM";
        }

        n = Session.BuildExternalAuthenticate(level, _apdu, 0);
        r = _channel.Transmit(_apdu, 0, n, _response, 0);
        string sw = Hex.Of(_response, 0, r);
        if (sw == "9000")
        {
            Session.ProcessExternalAuthenticateResponse(_response, 0, r);
        }

        return sw;
    }

    /// <summary>Wraps, sends, unwraps; returns plain data and status word as hex.</summary>
    public string Secure(Func<byte[], int> build)
    {
        int n = build(_apdu);
        int w = Session!.Wrap(_apdu, 0, n, _wire, 0);
        int r = _channel.Transmit(_wire, 0, w, _response, 0);
        int p = Session.Unwrap(_response, 0, r, _response, 0);
        return Hex.Of(_response, 0, p);
    }

    /// <summary>Sends raw bytes through the channel (for precomputed scripts).</summary>
    public string Raw(byte[] command) => Hex.Of(_response, 0, _channel.Transmit(command, 0, command.Length, _response, 0));

    private string ForgedAuthenticate()
    {
        byte[] forged = Hex.Parse("8482330010" + "00112233445566778899AABBCCDDEEFF");
        return Raw(forged);
    }

    private static byte[] Fill(byte seed)
    {
        byte[] key = new byte[16];
        for (int i = 0; i < key.Length; i++)
        {
            key[i] = (byte)(seed * 17 + i);
        }

        return key;
    }

    private sealed class Transport(CardManager card) : IApduTransport
    {
        public int Transceive(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset) =>
            card.Process(command.AsSpan(commandOffset, commandCount), response.AsSpan(responseOffset));
    }
}

using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Scp03;
using NanoAgent.VirtualSe.Scp03;

namespace NanoAgent.VirtualSe.Tests.Scp03;

/// <summary>A host session and a card session sharing keys, with helpers to run the initiation and exchange commands.</summary>
internal sealed class Scp03Pair
{
    public const string Key = "404142434445464748494A4B4C4D4E4F";

    public Scp03Pair(byte iParameter = 0x70, int keyLength = 16, InMemorySequenceCounterStore? store = null)
    {
        byte[] key = new byte[keyLength];
        for (int i = 0; i < keyLength; i++)
        {
            key[i] = (byte)(0x40 + i);
        }

        Keys = Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, 0x30, key);
        Store = store ?? new InMemorySequenceCounterStore();
        Card = new Scp03CardSession(Keys, new Scp03CardOptions { IParameter = iParameter, SequenceCounter = Store });
        Host = new Scp03HostSession(Keys, (iParameter & 0x01) != 0 ? 16 : 8);
    }

    public Scp03StaticKeys Keys { get; }

    public InMemorySequenceCounterStore Store { get; }

    public Scp03CardSession Card { get; }

    public Scp03HostSession Host { get; }

    public Scp03Pair Open(byte level)
    {
        byte[] apdu = new byte[64];
        byte[] rsp = new byte[64];
        byte[] challenge = new byte[16];
        Random.Shared.NextBytes(challenge);
        int n = Host.BuildInitializeUpdate(challenge, 0, apdu, 0);
        int r = Card.ProcessInitializeUpdate(apdu, 0, n, rsp, 0);
        Host.ProcessInitializeUpdateResponse(rsp, 0, r);
        n = Host.BuildExternalAuthenticate(level, apdu, 0);
        r = Card.ProcessExternalAuthenticate(apdu, 0, n, rsp, 0);
        Host.ProcessExternalAuthenticateResponse(rsp, 0, r);
        Assert.Equal(Scp03CardState.Open, Card.State);
        return this;
    }

    /// <summary>Host wraps, card unwraps and checks it got the original back, card answers, host unwraps.</summary>
    public byte[] Exchange(byte[] command, byte[] responseData, ushort sw)
    {
        byte[] wire = new byte[400];
        int n = Host.Wrap(command, 0, command.Length, wire, 0);
        byte[] plain = new byte[400];
        Assert.True(Card.TryUnwrapCommand(wire, 0, n, plain, 0, out int length, out ushort error), $"card rejected with {error:X4}");
        Assert.Equal(Convert.ToHexString(command), Convert.ToHexString(plain, 0, length));
        byte[] response = new byte[400];
        int r = Card.WrapResponse(responseData, 0, responseData.Length, sw, response, 0);
        byte[] output = new byte[400];
        int m = Host.Unwrap(response, 0, r, output, 0);
        return output[..m];
    }
}

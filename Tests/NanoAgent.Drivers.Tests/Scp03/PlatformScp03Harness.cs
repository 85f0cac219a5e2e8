using System.Security.Cryptography;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Drivers.T1;
using NanoAgent.VirtualSe;
using NanoAgent.VirtualSe.Bus;
using NanoAgent.VirtualSe.Platform;

namespace NanoAgent.Drivers.Tests.Scp03;

/// <summary>
/// A virtual SE with platform SCP on, its block protocol opened, a <see cref="PlatformScp03Transport"/> over it (with an
/// optional decorator in between to tamper with wrapped APDUs), and every bus frame in both directions recorded.
/// </summary>
internal sealed class PlatformScp03Harness : IDisposable
{
    public PlatformScp03Harness(VirtualSeProtocol protocol, Scp03StaticKeys? cardKeys = null, bool requirePlatformScp = true)
    {
        CardKeys = cardKeys ?? RandomKeys(0x30);
        Se = VirtualSecureElement.Create(protocol, platformScp: new PlatformScpOptions { Keys = CardKeys, RequirePlatformScp = requirePlatformScp });
        Se.Target.HostFrame += frame => Frames.Add(frame);
        Se.Target.SeFrame += frame => Frames.Add(frame);
        Se.Target.HostFrame += _ => HostFrames++;
        Block = Se.CreateHostTransport(new VirtualClock());
        Block.Open();
        Tamper = new TamperingTransport(Block);
        Platform = new PlatformScp03Transport(Tamper, CryptoRandomSource.Instance);
    }

    public Scp03StaticKeys CardKeys { get; }

    public VirtualSecureElement Se { get; }

    public ISeTransport Block { get; }

    public TamperingTransport Tamper { get; }

    public PlatformScp03Transport Platform { get; }

    public List<byte[]> Frames { get; } = new();

    public int HostFrames { get; private set; }

    public static Scp03StaticKeys RandomKeys(byte kvn) => new(
        BouncyCastleAesFactory.Instance, kvn, RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16));

    public ApduChannel OpenChannel()
    {
        Platform.Open(CardKeys);
        return new ApduChannel(Platform, Platform.MaxCommandData, 1024, 32);
    }

    /// <summary>True when any recorded frame holds the needle as a contiguous byte string.</summary>
    public bool AnyFrameContains(byte[] needle) => Frames.Any(f => f.AsSpan().IndexOf(needle) >= 0);

    public void Dispose() => Block.Dispose();

    /// <summary>Flips one bit of the next command or response at the APDU layer (above T=1, so no CRC catches it).</summary>
    internal sealed class TamperingTransport(IApduTransport inner) : IApduTransport
    {
        public int FlipCommandByte { get; set; } = -1;

        public int FlipResponseByte { get; set; } = -1;

        public int Transceive(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset)
        {
            if (FlipCommandByte >= 0)
            {
                command[commandOffset + FlipCommandByte] ^= 0x01;
                FlipCommandByte = -1;
            }

            int n = inner.Transceive(command, commandOffset, commandCount, response, responseOffset);
            if (FlipResponseByte >= 0)
            {
                response[responseOffset + FlipResponseByte] ^= 0x01;
                FlipResponseByte = -1;
            }

            return n;
        }
    }
}

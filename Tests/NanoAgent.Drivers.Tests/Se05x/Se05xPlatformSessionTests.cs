using System.Security.Cryptography;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Drivers.Se05x;
using NanoAgent.Drivers.T1;
using NanoAgent.Drivers.Tests.Scp03;
using NanoAgent.VirtualSe;
using NanoAgent.VirtualSe.Bus;
using NanoAgent.VirtualSe.Platform;
using NanoAgent.VirtualSe.Se05x;

namespace NanoAgent.Drivers.Tests.Se05x;

/// <summary>
/// The host SE05x layer against the virtual SE05x over the real SE05x T=1 stack on the virtual I2C bus, with platform
/// SCP03 required: plain SELECT, the platform channel to the card manager (KVN 0B) carrying extended APDUs (CLA 84,
/// Lc 00 hh ll, Le 0000) as NXP's middleware sends them, and an AESKey applet session inside it.
/// </summary>
public sealed class Se05xPlatformSessionTests
{
    private const uint TenantAuth = 0x7DA00001;
    private static readonly byte[] TenantKey = RandomNumberGenerator.GetBytes(16);

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    public void PlatformScp03WithExtendedApdus_AppletSessionInside_NothingInClear(int major)
    {
        using var h = new Harness(major);
        Se05xAppletVersion version = h.SelectPlain();
        Assert.Equal(major, version.Major);

        // PLATFORM_SCP required: without the platform channel the applet refuses (AN12413 SetPlatformSCPRequest).
        Assert.Equal("6982", Hex.Of(h.Plain(new Se05xObjectCommands().GetRandom(8, h.Buffer, 0))));

        PlatformScp03Transport platform = h.OpenPlatform(version);
        var objects = new Se05xObjectCommands(version.MaxPayload);
        var answer = new byte[1200];
        int n = platform.Transceive(h.Buffer, 0, objects.GetVersion(h.Buffer, 0), answer, 0); // a command without data
        Assert.Equal("41820007" + (major == 3 ? "030100" : "070200") + "6FFF010B9000", Hex.Of(answer, 0, n));
        n = platform.Transceive(h.Buffer, 0, new Se05xAuthObjectCommands().WriteAesKey(TenantAuth, TenantKey, 0, 3, null!, 0, 0, h.Buffer, 0), answer, 0);
        Assert.Equal("9000", Hex.Of(answer, 0, n));

        // An extended command (ReadObject: 80 02 00 00 00 00 06 ... 00 00) goes as 84 02 00 00 00 hh ll ... 00 00.
        n = platform.Transceive(h.Buffer, 0, objects.GetRandom(300, h.Buffer, 0), answer, 0);
        Assert.Equal(4 + 300 + 2, n);
        Assert.True(h.HostFrameContains(Hex.Parse("8404004900")), "the extended GetRandom did not cross the bus as 84 .. 00 hh ll");

        var session = new Se05xAppletSession(platform, version.MaxPayload);
        Assert.Equal(Se05xOutcome.Success, session.Open(TenantAuth));
        Assert.Equal(Se05xOutcome.Success, session.AuthenticateAesKey(BouncyCastleAesFactory.Instance, TenantKey, 0, CryptoRandomSource.Instance));
        byte[] policy = new byte[9];
        Se05xPolicy.WriteEntry(TenantAuth, Se05xPolicy.AllowRead | Se05xPolicy.AllowWrite, policy, 0);
        n = session.Transceive(h.Buffer, 0, objects.CreateCounter(0x30000001, 8, 41, policy, 0, 9, h.Buffer, 0), answer, 0);
        Assert.Equal("9000", Hex.Of(answer, 0, n));
        n = session.Transceive(h.Buffer, 0, objects.IncrementCounter(0x30000001, h.Buffer, 0), answer, 0);
        Assert.Equal("9000", Hex.Of(answer, 0, n));
        n = session.Transceive(h.Buffer, 0, objects.ReadCounter(0x30000001, h.Buffer, 0), answer, 0);
        Assert.Equal("41820008000000000000002A9000", Hex.Of(answer, 0, n));
        Assert.Equal(Se05xOutcome.Success, session.Close());

        // The default session cannot read the tenant's counter; the tenant key never crossed the bus.
        n = platform.Transceive(h.Buffer, 0, objects.ReadCounter(0x30000001, h.Buffer, 0), answer, 0);
        Assert.Equal("6986", Hex.Of(answer, 0, n));
        Assert.False(h.AnyFrameContains(TenantKey[..8]), "the tenant's key crossed the bus in clear");
        Assert.False(h.AnyFrameContains(Hex.Parse("000000000000002A")), "the counter value crossed the bus in clear");
    }

    [Fact]
    public void Se050CounterRule_AHostCountingEveryCommand_CannotReadTheAnswerToACommandWithoutData()
    {
        // fsl_sss_se05x_apis.c: applets below 4.3 count only commands with data on the platform channel. A host that
        // counts every command (GP Amd D v1.1.1) decrypts the answer to GetVersion (no data) with the wrong counter.
        using var h = new Harness(3);
        Se05xAppletVersion version = h.SelectPlain();
        PlatformScp03Transport platform = h.OpenPlatform(version, countDataCommandsOnly: false);
        var objects = new Se05xObjectCommands();
        var answer = new byte[1200];
        var ex = Assert.ThrowsAny<SecureChannelException>(() => platform.Transceive(h.Buffer, 0, objects.GetVersion(h.Buffer, 0), answer, 0));
        Assert.True(ex.Error is SecureChannelError.InvalidPadding or SecureChannelError.ResponseMacMismatch, ex.Error.ToString());
    }

    [Fact]
    public void ShortCommandWhoseWrappedLcReachesFF_GoesExtended()
    {
        // se05x_Transform_scp: "(LC < 0xFF) && !hasle" keeps Lc short; 240 bytes of data pad to 256, plus the C-MAC.
        using var h = new Harness(3);
        PlatformScp03Transport platform = h.OpenPlatform(h.SelectPlain());
        var answer = new byte[1200];
        byte[] key = new byte[32];
        int n = platform.Transceive(h.Buffer, 0, new Se05xObjectCommands().WriteSymmKey(Se05xSymmetricKeyType.Hmac, 1, key, 0, 32, null!, 0, 0, h.Buffer, 0), answer, 0);
        Assert.Equal("9000", Hex.Of(answer, 0, n));
        var data = new byte[236];
        int c = new Se05xCryptoCommands().MacGenerate(1, Se05xMacAlgorithm.HmacSha256, data, 0, data.Length, h.Buffer, 0);
        Assert.Equal((byte)(c - 5), h.Buffer[4]); // a short plain command
        n = platform.Transceive(h.Buffer, 0, c, answer, 0);
        Assert.Equal(Hex.Of(HmacOf(key, data)), Hex.Of(answer, 4, 32));
        // 249 plain data bytes pad to 256, plus the 8-byte C-MAC: Lc 00 01 08.
        Assert.True(h.HostFrameContains(Hex.Parse("84030D45000108")), "the wrapped command did not go extended");
    }

    private static byte[] HmacOf(byte[] key, byte[] data) => System.Security.Cryptography.HMACSHA256.HashData(key, data);

    [Fact]
    public void PayloadAboveTheLimitUnderPlatformScp_RefusedByTheCard()
    {
        // se05x_const.h: the limit is "less under SCP": the card measures the command as received, wrapped.
        using var h = new Harness(3);
        Se05xAppletVersion version = h.SelectPlain();
        PlatformScp03Transport platform = h.OpenPlatform(version);
        var crypto = new Se05xCryptoCommands(version.MaxPayload);
        var data = new byte[870];
        var answer = new byte[1200];
        int n = platform.Transceive(h.Buffer, 0, crypto.MacGenerate(1, Se05xMacAlgorithm.HmacSha256, data, 0, data.Length, h.Buffer, 0), answer, 0);
        Assert.Equal("6700", Hex.Of(answer, 0, n));
    }

    private sealed class Harness : IDisposable
    {
        private readonly List<byte[]> _hostFrames = [];
        private readonly List<byte[]> _frames = [];

        public Harness(int major)
        {
            Keys = PlatformScp03Harness.RandomKeys(0x0B);
            Se = VirtualSecureElement.Create(
                VirtualSeCard.Se05x, VirtualSeProtocol.Se05xI2c, platformScp: new PlatformScpOptions { Keys = Keys, RequirePlatformScp = true },
                se05x: new Se05xCardOptions { AppletMajor = major });
            Se.Target.HostFrame += f => { _hostFrames.Add(f); _frames.Add(f); };
            Se.Target.SeFrame += f => _frames.Add(f);
            Block = Se.CreateHostTransport(new VirtualClock());
            Block.Open();
        }

        public Scp03StaticKeys Keys { get; }

        public VirtualSecureElement Se { get; }

        public ISeTransport Block { get; }

        public byte[] Buffer { get; } = new byte[1200];

        public Se05xAppletVersion SelectPlain()
        {
            byte[] answer = Plain(new Se05xObjectCommands().Select(Buffer, 0));
            Assert.Equal("9000", Hex.Of(answer, answer.Length - 2, 2));
            Assert.True(Se05xAppletVersion.TryParse(answer, 0, answer.Length - 2, out Se05xAppletVersion version));
            return version;
        }

        public byte[] Plain(int length)
        {
            var answer = new byte[1200];
            return answer[..Block.Transceive(Buffer, 0, length, answer, 0)];
        }

        public PlatformScp03Transport OpenPlatform(Se05xAppletVersion version, bool? countDataCommandsOnly = null)
        {
            var platform = new PlatformScp03Transport(Block, CryptoRandomSource.Instance)
            {
                CountsCommandsWithDataOnly = countDataCommandsOnly ?? version.PlatformScpCountsDataCommandsOnly,
            };
            platform.Open(Keys);
            return platform;
        }

        public bool HostFrameContains(byte[] needle) => _hostFrames.Any(f => f.AsSpan().IndexOf(needle) >= 0);

        public bool AnyFrameContains(byte[] needle) => _frames.Any(f => f.AsSpan().IndexOf(needle) >= 0);

        public void Dispose() => Block.Dispose();
    }
}

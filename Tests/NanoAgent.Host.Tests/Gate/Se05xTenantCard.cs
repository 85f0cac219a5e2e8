using NanoAgent.Agent.Se05x;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Lifecycle;
using NanoAgent.Drivers.Se05x;
using NanoAgent.Host.Se;
using NanoAgent.VirtualSe.Se05x;
using NanoAgent.VirtualSe.Se05x.State;

namespace NanoAgent.Host.Tests.Gate;

/// <summary>
/// The SE05x counterpart of <see cref="TenantCard"/> (docs/se05x.md): a virtual SE05x with NXP's IoT applet alone; the owner's
/// objects put over the local link, the owner creates tenants A and B (authentication objects) in its applet session, and
/// each tenant creates its gate objects (reading key, command key, epoch and command counters, attestation key) in its own
/// applet-level SCP03 session, with the policies of <see cref="Se05xTenantOnboarding"/>.
/// </summary>
internal sealed class Se05xTenantCard : IApduTransport
{
    public const uint Owner = 0x7A000000;
    public const uint AuthA = 0x7A0A0000;
    public const uint AuthB = 0x7A0B0000;
    public static readonly byte[] LabelA = TenantCard.GateA;
    public static readonly byte[] LabelB = TenantCard.GateB;
    public static readonly byte[] ReadingKeyA = Hex.Parse("101112131415161718191A1B1C1D1E1F");
    public static readonly byte[] ReadingKeyB = Hex.Parse("202122232425262728292A2B2C2D2E2F");
    public static readonly byte[] CommandKeyA = Hex.Parse("303132333435363738393A3B3C3D3E3F");
    public static readonly byte[] CommandKeyB = Hex.Parse("404142434445464748494A4B4C4D4E4F");
    private static readonly byte[] OwnerKey = Hex.Parse("505152535455565758595A5B5C5D5E5F");

    public Se05xTenantCard(int appletMajor = 3)
    {
        Card = new Se05xCard(Se05xStateStore.InMemory(appletMajor), new Se05xCardOptions { AppletMajor = appletMajor });
        Applet = new Se05xApplet(this, 65535);
        Assert.Equal(0x9000, Se05xOwnerBootstrap.PutOwner(this, Owner, OwnerKey, 0x60, Hex.Parse("606162636465666768696A6B6C6D6E6F")));
        var onboarding = new Se05xTenantOnboarding();
        InSession(Owner, OwnerKey, [b => onboarding.CreateAuthObject(AuthA, AuthKey(AuthA), 0, b, 0), b => onboarding.CreateAuthObject(AuthB, AuthKey(AuthB), 0, b, 0)]);
        foreach ((uint auth, byte[] reading, byte[] command) in new[] { (AuthA, ReadingKeyA, CommandKeyA), (AuthB, ReadingKeyB, CommandKeyB) })
        {
            InSession(auth, AuthKey(auth),
            [
                b => onboarding.CreateReadingKey(auth, reading, 0, b, 0),
                b => onboarding.CreateCommandKey(auth, command, 0, b, 0),
                b => onboarding.CreateEpochCounter(auth, b, 0),
                b => onboarding.CreateCommandCounter(auth, b, 0),
                b => onboarding.CreateAttestationKey(auth, b, 0),
            ]);
        }
    }

    public Se05xCard Card { get; }

    /// <summary>The agent's link to the IoT applet (select once; a reset is met by one SELECT).</summary>
    public Se05xApplet Applet { get; }

    public int Transceive(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset) =>
        Card.Process(command.AsSpan(commandOffset, commandCount), response.AsSpan(responseOffset));

    /// <summary>The public part of a tenant's attestation key, as ReadObject gives it (TLV[TAG_1] 04 ‖ X ‖ Y).</summary>
    public byte[] AttestationPublicKey(uint auth)
    {
        byte[] command = new byte[32], response = new byte[128];
        int r = Applet.Transceive(command, 0, new Se05xTenantOnboarding().ReadAttestationKey(auth, command, 0), response, 0);
        Assert.Equal("9000", Hex.Of(response, r - 2, 2));
        Assert.Equal("4182004104", Hex.Of(response, 0, 5)); // TLV[TAG_1] with the applet's 3-byte length form, 04 ‖ X ‖ Y
        return response[(r - 2 - 65)..(r - 2)];
    }

    private static byte[] AuthKey(uint auth) => Enumerable.Range(0, 16).Select(i => (byte)(auth >> 16 ^ i)).ToArray();

    private void InSession(uint auth, byte[] key, Func<byte[], int>[] builds)
    {
        Assert.Equal(0x9000, Applet.EnsureSelected());
        var session = new Se05xAppletSession(this, 892);
        Assert.Equal(Se05xOutcome.Success, session.Open(auth));
        Assert.Equal(Se05xOutcome.Success, session.AuthenticateAesKey(BouncyCastleAesFactory.Instance, key, 0, CryptoRandomSource.Instance));
        byte[] command = new byte[300], answer = new byte[300];
        foreach (Func<byte[], int> build in builds)
        {
            int r = session.Transceive(command, 0, build(command), answer, 0);
            Assert.Equal("9000", Hex.Of(answer, r - 2, 2));
        }

        session.Close();
    }
}

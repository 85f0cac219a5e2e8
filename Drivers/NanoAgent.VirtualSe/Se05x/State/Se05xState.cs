using System.Security.Cryptography;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Se05x.State;

/// <summary>
/// Everything the virtual SE05x keeps across power cycles: the applet version it reports, the platform SCP requirement,
/// the EC curves created, the card identity of its card manager, and its secure objects. Plain data, serialized by
/// <see cref="Se05xStateStore"/>; a command changes a <see cref="Clone"/> that is saved whole or not at all.
/// </summary>
public sealed class Se05xState
{
    /// <summary>The schema version this code writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The reserved identifier of the 18-byte unique id file (kSE05x_AppletResID_UNIQUE_ID, se05x_enums.h).</summary>
    public const uint UniqueIdObject = 0x7FFF0206;

    /// <summary>Gets or sets the schema version of the serialized form.</summary>
    public int Version { get; set; } = CurrentVersion;

    /// <summary>Gets or sets which card this file holds; always "se05x" (a GP card state is a different document).</summary>
    public string Card { get; set; } = "se05x";

    /// <summary>Gets or sets the applet major version: 3 (SE050) or 7 (SE051).</summary>
    public byte AppletMajor { get; set; } = 3;

    /// <summary>Gets or sets the applet minor version.</summary>
    public byte AppletMinor { get; set; } = 1;

    /// <summary>Gets or sets the applet patch version.</summary>
    public byte AppletPatch { get; set; }

    /// <summary>Gets or sets the AppletConfig bit map reported after the version (se05x_enums.h SE05x_AppletConfig_t).</summary>
    public int AppletConfig { get; set; } = 0x6FFF;

    /// <summary>Gets or sets the secure box version reported last.</summary>
    public int SecureBox { get; set; } = 0x010B;

    /// <summary>Gets or sets a value indicating whether platform SCP is required (AN12413 SetPlatformSCPRequest; default not).</summary>
    public bool PlatformScpRequired { get; set; }

    /// <summary>Gets or sets the EC curves created on the card (03 = NIST P-256).</summary>
    public List<byte> Curves { get; set; } = [];

    /// <summary>Gets or sets the card identity its card manager reports (CPLC, IIN, CIN).</summary>
    public CardIdentity Identity { get; set; } = new();

    /// <summary>Gets or sets the secure objects, in creation order (the order ReadIDList walks).</summary>
    public List<Se05xObject> Objects { get; set; } = [];

    /// <summary>Gets or sets the number of NVM writes committed since the card was made.</summary>
    public long NvmWrites { get; set; }

    /// <summary>Creates a fresh card: the unique id file (origin provisioned) and the P-256 curve, for applet 3.x or 7.x.</summary>
    /// <param name="appletMajor">3 (SE050, applet 3.1.0) or 7 (SE051, applet 7.2.0).</param>
    /// <returns>The state.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The major version is neither 3 nor 7.</exception>
    public static Se05xState CreateFresh(int appletMajor)
    {
        if (appletMajor is not (3 or 7))
        {
            throw new ArgumentOutOfRangeException(nameof(appletMajor), "The virtual SE05x carries applet 3.x (SE050) or 7.x (SE051).");
        }

        byte[] uid = RandomNumberGenerator.GetBytes(18);
        uid[0] = 0x04; // NXP's unique ids start with 04 (the chip's fabricator byte in the examples of ex_sss_se05x).
        CardState gp = CardState.CreateFresh(BitConverter.ToUInt32(uid, 14));
        return new Se05xState
        {
            AppletMajor = (byte)appletMajor,
            AppletMinor = (byte)(appletMajor == 3 ? 1 : 2),
            Identity = gp.Identity,
            Curves = [0x03],
            Objects =
            [
                new Se05xObject { Id = UniqueIdObject, Type = Se05xObjectType.BinaryFile, Origin = Se05xObject.OriginProvisioned, Value = uid },
            ],
        };
    }

    /// <summary>Finds an object by identifier.</summary>
    /// <param name="id">The identifier.</param>
    /// <returns>The object, or null.</returns>
    public Se05xObject? Find(uint id) => Objects.Find(o => o.Id == id);

    /// <summary>Makes a deep copy.</summary>
    /// <returns>The copy.</returns>
    public Se05xState Clone() => new()
    {
        Version = Version,
        Card = Card,
        AppletMajor = AppletMajor,
        AppletMinor = AppletMinor,
        AppletPatch = AppletPatch,
        AppletConfig = AppletConfig,
        SecureBox = SecureBox,
        PlatformScpRequired = PlatformScpRequired,
        Curves = [.. Curves],
        Identity = Identity,
        Objects = Objects.ConvertAll(o => o.Clone()),
        NvmWrites = NvmWrites,
    };

    /// <summary>Checks the rules a loaded state must keep.</summary>
    /// <returns>Null when valid, else what is wrong.</returns>
    public string? Validate()
    {
        if (Card != "se05x")
        {
            return $"it holds a '{Card}' card, not an SE05x";
        }

        if (AppletMajor is not (3 or 7))
        {
            return $"applet major version {AppletMajor} is neither 3 nor 7";
        }

        if (Identity?.Cplc is null)
        {
            return "the card identity is missing";
        }

        var ids = new HashSet<uint>();
        foreach (Se05xObject o in Objects)
        {
            if (o is null || o.Value is null)
            {
                return "an object entry is empty";
            }

            if (o.Id == 0 || !ids.Add(o.Id))
            {
                return $"object id {o.Id:X8} is zero or appears twice";
            }

            if (Check(o) is { } problem)
            {
                return $"object {o.Id:X8}: {problem}";
            }
        }

        return null;
    }

    private static string? Check(Se05xObject o) => o.Type switch
    {
        Se05xObjectType.Aes when o.Value.Length is not (16 or 24 or 32) => "an AES key is 16, 24 or 32 bytes",
        Se05xObjectType.Hmac when o.Value.Length is < 1 or > 256 => "an HMAC key is 1 to 256 bytes",
        Se05xObjectType.UserId when o.Value.Length is < 4 or > 16 => "a UserID is 4 to 16 bytes",
        Se05xObjectType.Counter when o.Value.Length is < 1 or > 8 => "a counter is 1 to 8 bytes",
        Se05xObjectType.BinaryFile when o.Value.Length is < 1 or > 0x7FFF => "a binary file is 1 to 7FFF bytes",
        Se05xObjectType.EcKeyPair when o.PrivateKey?.Length != 32 || o.PublicKey?.Length != 65 => "a P-256 key pair needs a 32-byte private and a 65-byte public key",
        Se05xObjectType.EcPrivateKey when o.PrivateKey?.Length != 32 => "a P-256 private key is 32 bytes",
        Se05xObjectType.EcPublicKey when o.PublicKey?.Length != 65 => "a P-256 public key is 65 bytes",
        Se05xObjectType.Aes or Se05xObjectType.Hmac or Se05xObjectType.UserId or Se05xObjectType.Counter
            or Se05xObjectType.BinaryFile or Se05xObjectType.EcKeyPair or Se05xObjectType.EcPrivateKey or Se05xObjectType.EcPublicKey => null,
        _ => $"type {(byte)o.Type:X2} is not one the virtual SE05x keeps",
    };
}

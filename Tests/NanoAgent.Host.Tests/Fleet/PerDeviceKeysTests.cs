using System.Security.Cryptography;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Gp;
using NanoAgent.Drivers.Host.Keys;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Drivers.Tests.Host.Keys;
using NanoAgent.Fleet;
using NanoAgent.Fleet.Store;
using NanoAgent.Host.Backend;
using NanoAgent.Host.Fleet;
using NanoAgent.Host.Tests.Backend;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.Host.Tests.Fleet;

/// <summary>
/// Campaigns over simulated devices whose SDs hold keys diversified from the tenant's master key (docs/keys.md), the
/// master key in a real SoftHSM2 token or in a key file: the factory (the simulator) and the worker each derive the same
/// keys from the card's own diversification data, every device has keys no other has, and one device's keys open no
/// other's SD.
/// </summary>
[Collection(SoftHsmHostCollection.Name)]
public class PerDeviceKeysTests(SoftHsmToken token)
{
    [Fact]
    public void Campaign_FactoryDerivesInTheToken_WorkerFromTheFile_EveryDeviceItsOwnKeys()
    {
        (string uri, string file) = Master();
        using IDeviceKeySource factory = MasterKeyOption.Open(uri, 0x01).Source;
        using var rig = new FleetRig(6, deviceKeys: factory);
        string db = Path.Combine(rig.Dir, "fleet.db");
        CampaignStore store = rig.Create(db, "rotate", rig.Ids);

        (int exit, string output, string error) = rig.Run(db, "rotate", masterKey: file);

        Assert.True(exit == 0, output + error);
        Assert.Contains("KDF3 diversification", output, StringComparison.Ordinal);
        Assert.Equal(6, store.CountByState("rotate")[DeviceState.Succeeded]);
        Assert.All(rig.Ids, id => Assert.Equal(9, rig.StoreDataCount(id)));

        // On each SE: the SD's key set is the one derived from that card's diversification data, and no other card has it.
        using IDeviceKeySource fromFile = MasterKeyOption.Open(file, null).Source;
        var seen = new HashSet<string>();
        foreach (SimulatedDevice device in rig.Devices)
        {
            KeySetRecord onCard = device.Domain(FleetRig.Sd)!.FindScp03KeySet(0x01)!;
            string kcv = $"KCV ENC {Kcv(onCard.Enc)} MAC {Kcv(onCard.Mac)} DEK {Kcv(onCard.Dek)}";
            Assert.EndsWith(kcv, fromFile.KeysFor(0x01, device.Diversification).ToString(), StringComparison.Ordinal);
            Assert.True(seen.Add(Convert.ToHexString(onCard.Enc)) & seen.Add(Convert.ToHexString(onCard.Mac)) & seen.Add(Convert.ToHexString(onCard.Dek)));
            Assert.DoesNotContain(kcv, AgentRig.Keys.ToString(), StringComparison.Ordinal);
        }

        Assert.Equal(3 * 6, seen.Count);
    }

    [Fact]
    public void Keys_OfOneDevice_DoNotOpenAnothersSd()
    {
        (string uri, _) = Master();
        using IDeviceKeySource keys = MasterKeyOption.Open(uri, 0x01).Source;
        using var rig = new FleetRig(3, deviceKeys: keys);

        foreach (SimulatedDevice device in rig.Devices)
        {
            foreach (SimulatedDevice other in rig.Devices)
            {
                Scp03StaticKeys otherKeys = keys.KeysFor(0x01, other.Diversification);
                if (other == device)
                {
                    Assert.Null(Authenticate(device, otherKeys));
                }
                else
                {
                    Assert.Equal(SecureChannelError.CardCryptogramMismatch, Authenticate(device, otherKeys));
                }
            }
        }
    }

    [Fact]
    public void CampaignRun_MasterKeyInTheToken_ThroughTheCommandLine()
    {
        (string uri, string file) = Master();
        using IDeviceKeySource factory = MasterKeyOption.Open(file, null).Source;
        using var rig = new FleetRig(4, deviceKeys: factory);
        string db = Path.Combine(rig.Dir, "fleet.db");
        CampaignStore store = rig.Create(db, "rotate", rig.Ids);

        CliRun run = CliRun.Of("backend", "campaign", "run", "rotate", "--db", db, "--master-key", uri, "--request-key", rig.RequestKeyPath,
            "--broker", rig.BrokerUrl, "--progress-every", "30");

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("derived inside the token", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(SoftHsmToken.Pin, run.Output, StringComparison.Ordinal);
        Assert.Equal(4, store.CountByState("rotate")[DeviceState.Succeeded]);
    }

    [Fact]
    public void Campaign_TokenFailsForAWhile_DevicesRetriedThenSucceed()
    {
        (_, string file) = Master();
        using IDeviceKeySource keys = MasterKeyOption.Open(file, null).Source;
        using var rig = new FleetRig(3, deviceKeys: keys);
        string db = Path.Combine(rig.Dir, "fleet.db");
        var rules = new RolloutRules { MaxInFlight = 4, RetryBase = TimeSpan.FromMilliseconds(200), RetryMax = TimeSpan.FromMilliseconds(400), DeviceTimeout = TimeSpan.FromSeconds(30) };
        CampaignStore store = rig.Create(db, "rotate", rig.Ids, rules);
        var flaky = new FailingFirst(keys, failures: 2);
        var output = new StringWriter();

        int exit = new CampaignRunRequest
        {
            Name = "rotate", Db = db, KeySource = flaky, RequestKeyPath = rig.RequestKeyPath, Broker = rig.BrokerUrl, ProgressInterval = TimeSpan.FromSeconds(30),
        }.Execute(output, output, CancellationToken.None);

        Assert.True(exit == 0, output.ToString());
        Assert.Equal(3, store.CountByState("rotate")[DeviceState.Succeeded]);
        Assert.All(rig.Ids, id => Assert.Equal(9, rig.StoreDataCount(id)));
        Assert.Equal(2, rig.Ids.SelectMany(id => store.Events("rotate", id)).Count(e => e.Detail?.Contains("no keys for the device: token gone", StringComparison.Ordinal) == true));
    }

    [Theory]
    [InlineData("wrong PIN", "wrong PIN for token")]
    [InlineData("missing token", "no PKCS #11 token labelled 'no-such-token'")]
    [InlineData("missing label", "no secret key 'no-such-key'")]
    [InlineData("missing module", "PKCS #11 module '/usr/lib/no-such-pkcs11.so' not found")]
    [InlineData("bad uri", "not a PKCS #11 URI: the attribute 'token' is given twice")]
    [InlineData("no pin", "the URI names no PIN")]
    [InlineData("missing pin file", "PIN file not found")]
    [InlineData("open pin file", "the PIN file is readable or writable by group or others")]
    [InlineData("keys and master key", "give either --keys")]
    public void CampaignRun_BadMasterKey_OneLineExit2_NothingChanged(string what, string message)
    {
        (string uri, _) = Master();
        string label = uri[(uri.IndexOf("object=", StringComparison.Ordinal) + 7)..uri.IndexOf('?', StringComparison.Ordinal)];
        string openPin = token.WritePinFile(SoftHsmToken.Pin);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(openPin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        string spec = what switch
        {
            "wrong PIN" => token.Uri(label, pinFile: token.WritePinFile("999999")),
            "missing token" => token.Uri(label, token: "no-such-token"),
            "missing label" => token.Uri("no-such-key"),
            "missing module" => token.Uri(label, module: "/usr/lib/no-such-pkcs11.so"),
            "bad uri" => "pkcs11:token=a;token=b",
            "no pin" => $"pkcs11:token={token.Label};object={label}?module-path={SoftHsmToken.Module}",
            "missing pin file" => token.Uri(label, pinFile: "/nonexistent/user.pin"),
            "open pin file" => token.Uri(label, pinFile: openPin),
            _ => uri,
        };
        using var rig = new FleetRig(2);
        string db = Path.Combine(rig.Dir, "fleet.db");
        CampaignStore store = rig.Create(db, "rotate", rig.Ids);
        var args = new List<string> { "backend", "campaign", "run", "rotate", "--db", db, "--master-key", spec, "--request-key", rig.RequestKeyPath, "--broker", rig.BrokerUrl };
        if (what == "keys and master key")
        {
            args.AddRange(["--keys", rig.KeysPath]);
        }

        CliRun run = CliRun.Of([.. args]);

        Assert.Equal(2, run.ExitCode);
        string line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.Ordinal);
        Assert.DoesNotContain(SoftHsmToken.Pin, line, StringComparison.Ordinal);
        Assert.Equal(2, store.CountByState("rotate")[DeviceState.Queued]);
        Assert.All(rig.Ids, id => Assert.Equal((0, 0), (rig.StoreDataCount(id), store.Devices("rotate", id).Single().Attempts)));
        Assert.Equal(CampaignState.Active, store.Get("rotate").State);
    }

    [Theory]
    [InlineData(true, "give it (--kvn)")]
    [InlineData(false, "wrong PIN for token")]
    public void FleetSimulate_BadMasterKey_OneLineExit2(bool withoutKvn, string message)
    {
        (string uri, _) = Master();
        string spec = withoutKvn ? uri : uri.Replace(token.PinFile, token.WritePinFile("999999"), StringComparison.Ordinal);
        using var dir = new TempDir();
        string requestKey = Path.Combine(dir.Path, "request.keys");
        AgentRig.WriteKeys(requestKey, 0x60, 0x50);
        var args = new List<string> { "fleet", "simulate", "--devices", "2", "--tenant", "acme", "--request-key", requestKey, "--master-key", spec, "--embedded-broker", "0", "--seconds", "1" };
        if (!withoutKvn)
        {
            args.AddRange(["--kvn", "01"]);
        }

        CliRun run = CliRun.Of([.. args]);

        Assert.Equal(2, run.ExitCode);
        string line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(message, line, StringComparison.Ordinal);
    }

    /// <summary>A key source whose token fails its first calls (then the inner source answers).</summary>
    private sealed class FailingFirst(IDeviceKeySource inner, int failures) : IDeviceKeySource
    {
        private int _failures = failures;

        public string Description => inner.Description;

        public Scp03StaticKeys KeysFor(byte keyVersion, byte[] diversificationData) => Interlocked.Decrement(ref _failures) >= 0
            ? throw new MasterKeyException(MasterKeyError.Unavailable, "token gone")
            : inner.KeysFor(keyVersion, diversificationData);

        public void Dispose()
        {
        }
    }

    private static string Kcv(byte[] key) => Convert.ToHexString(KeySetRecord.CheckValue(key));

    /// <summary>SELECT the SD and INITIALIZE UPDATE with a key set on a device's card: null when the card cryptogram verifies.</summary>
    private static SecureChannelError? Authenticate(SimulatedDevice device, Scp03StaticKeys keys)
    {
        var channel = new ApduChannel(device.Link);
        byte[] apdu = new byte[300], rsp = new byte[300];
        byte[] sd = FleetRig.Sd;
        int r = channel.Transmit(apdu, 0, GpSelect.Build(sd, 0, sd.Length, apdu, 0), rsp, 0);
        Assert.Equal("9000", Convert.ToHexString(rsp, r - 2, 2));
        var session = new Scp03HostSession(keys, 8);
        r = channel.Transmit(apdu, 0, session.BuildInitializeUpdate(RandomNumberGenerator.GetBytes(8), 0, apdu, 0), rsp, 0);
        try
        {
            session.ProcessInitializeUpdateResponse(rsp, 0, r);
            return null;
        }
        catch (SecureChannelException e)
        {
            return e.Error;
        }
    }

    /// <summary>A fresh random master key: in the token (softhsm2-util --import --aes) and in a key file (enc = mac = dek).</summary>
    private (string Uri, string File) Master()
    {
        byte[] master = SoftHsmToken.RandomKey(16);
        string label = "acme-" + Guid.NewGuid().ToString("N")[..8];
        token.ImportAes(label, master);
        string file = Path.Combine(token.Dir, label + ".keys");
        string hex = Convert.ToHexString(master);
        File.WriteAllText(file, $"{{\"kvn\": \"01\", \"enc\": \"{hex}\", \"mac\": \"{hex}\", \"dek\": \"{hex}\"}}\n");
        SoftHsmToken.OwnerOnly(file);
        return (token.Uri(label), file);
    }
}

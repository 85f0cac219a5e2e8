using System.Security.Cryptography;
using NanoAgent.Agent.Messages;
using NanoAgent.Host.Cli;
using NanoAgent.Host.Provision;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Tests.Cli;

/// <summary>
/// Issue 13 item 5: every file a command reads that is corrupt, of the wrong kind or a directory gives one line naming the
/// file and what is wrong, exit 2, and no stack trace.
/// </summary>
public sealed class BadFileTests : IDisposable
{
    private const string Corrupt = "{ \"not\": json";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Kinds() => ["corrupt", "directory"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void VirtualSeState(string kind)
    {
        string state = Bad("virtual-se.json", kind);

        AssertOneLine(CliRun.Of("se", "probe", "--state", state), state);
        AssertOneLine(CliRun.Of("se", "apdu", "--state", state, "00A4040000"), state);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void VirtualSeGateFile(string kind)
    {
        string gate = Bad("virtual-se.gate.json", kind);

        AssertOneLine(CliRun.Of("se", "probe", "--state", _dir.File("virtual-se.json")), gate);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void RelayStore(string kind)
    {
        string store = Bad("relay-store.json", kind);

        AssertOneLine(CliRun.Of(Agent("--store", store)), store);
        Assert.Equal(kind == "corrupt" ? Corrupt : null, File.Exists(store) ? File.ReadAllText(store) : null); // never replaced
    }

    [Fact]
    public void RelayStore_MissingWithoutNewStore_RefusedAndNotCreated()
    {
        string store = _dir.File("relay-store.json");

        CliRun run = CliRun.Of(Agent("--store", store));

        AssertOneLine(run, store);
        Assert.Contains("--new-store", run.Error);
        Assert.False(File.Exists(store));
    }

    [Fact]
    public void RelayStore_NewStore_CreatesItAndRefusesToReplaceIt()
    {
        string store = _dir.File("relay-store.json");

        CliRun first = CliRun.Of(Agent("--store", store, "--new-store", "--embedded-broker", "0", "--duration", "1"));

        Assert.True(first.ExitCode == ExitCodes.Ok, first.Output + first.Error);
        Assert.Contains("created an empty relay store", first.Output);
        Assert.True(File.Exists(store));
        AssertOneLine(CliRun.Of(Agent("--store", store, "--new-store")), store);
        Assert.Equal(ExitCodes.Ok, CliRun.Of(Agent("--store", store, "--embedded-broker", "0", "--duration", "1")).ExitCode);
    }

    [Fact]
    public void RelayStore_CannotBeWritten_RefusedAtStart()
    {
        string store = _dir.File("relay-store.json");
        Assert.Equal(ExitCodes.Ok, CliRun.Of(Agent("--store", store, "--new-store", "--embedded-broker", "0", "--duration", "1")).ExitCode);
        Directory.CreateDirectory(store + ".tmp"); // every write goes through this temporary file

        CliRun run = CliRun.Of(Agent("--store", store, "--embedded-broker", "0", "--duration", "1"));

        AssertOneLine(run, store);
        Assert.Contains("cannot be written", run.Error);
        Assert.DoesNotContain("online", run.Output);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void TenantFile(string kind)
    {
        string tenants = kind == "corrupt" ? Write("tenants.txt", "acme not-hex 1\n") : Bad("tenants.txt", kind);

        AssertOneLine(CliRun.Of(Agent("--tenants", tenants)), tenants);
    }

    [Fact]
    public void TenantFile_Empty_Refused()
    {
        string tenants = Write("tenants.txt", "# nobody yet\n");

        CliRun run = CliRun.Of(Agent("--tenants", tenants));

        AssertOneLine(run, tenants);
        Assert.Contains("names no tenant", run.Error);
    }

    [Fact]
    public void TenantFile_ThirdColumnNeitherOldChannelNorSizeLimit_Refused()
    {
        // Channels are taken per session now; an old file's channel column (0-19) is ignored, anything else up to 63 is an error.
        string tenants = Write("tenants.txt", "acme A0000001515350410A 1\nbeta A0000001515350410B 40\n");

        CliRun run = CliRun.Of(Agent("--tenants", tenants));

        AssertOneLine(run, tenants);
        Assert.Contains("40 is neither an old channel column (0 to 19) nor a script size limit (64 bytes or more)", run.Error);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void PlatformKeyFile(string kind)
    {
        string keys = Bad("platform-keys.json", kind);

        AssertOneLine(CliRun.Of(Agent("--platform-keys", keys, "--new-store")), keys);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Scp03KeyFile(string kind)
    {
        string keys = Bad("keys.json", kind);

        AssertOneLine(CliRun.Of("scp03", "open", "--state", _dir.File("se.json"), "--keys", keys), keys);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ProvisionBundle(string kind)
    {
        string bundle = Bad("bundle.json", kind);

        AssertOneLine(CliRun.Of("provision", "--device", "d", "--bundle", bundle, "--issuer-key", IssuerKey()), bundle);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ProvisionIssuerKey(string kind)
    {
        string key = Bad("issuer.pem", kind);

        AssertOneLine(CliRun.Of("provision", "--device", "d", "--bundle", SignedBundle(), "--issuer-key", key), key);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ProvisionJournal(string kind)
    {
        string journal = kind == "corrupt" ? Write("bundle.journal", "garbage\n{\"bundleId\":\"b\"}\n") : Bad("bundle.journal", kind);

        // The journal is read before the broker is contacted (port 1: nothing listens there).
        AssertOneLine(CliRun.Of("provision", "--device", "d", "--bundle", SignedBundle(), "--issuer-key", IssuerKey(),
            "--journal", journal, "--broker", "mqtt://127.0.0.1:1"), journal);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void BackendTenantKeyFile(string kind)
    {
        string keys = Bad("acme-keys.json", kind);

        AssertOneLine(CliRun.Of(Backend("--keys", keys)), keys);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void BackendRequestKeyFile(string kind)
    {
        string key = Bad("acme-request-key.json", kind);

        AssertOneLine(CliRun.Of(Backend("--request-key", key)), key);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void BackendStateFile(string kind)
    {
        string state = Bad("backend-acme.json", kind);

        AssertOneLine(CliRun.Of(Backend("--state", state)), state);
    }

    [Fact]
    public void BackendScriptFile_Directory()
    {
        string script = Bad("script.apdu", "directory");

        AssertOneLine(CliRun.Of(Backend("--script", script)), script);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ProvisionPackRequest(string kind)
    {
        string request = Bad("request.bin", kind);
        IssuerKey();

        AssertOneLine(CliRun.Of("provision", "pack", "--out", _dir.File("out.json"), "--bundle-id", "b", "--device", "d",
            "--issuer-private", _dir.File("issuer.key.pem"), "--request", request), request);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void GateCounterFile(string kind)
    {
        string counter = kind == "corrupt" ? Write("readings.counter", "not a number\n") : Bad("readings.counter", kind);
        string key = Write("mac.hex", "00112233445566778899AABBCCDDEEFF\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        // The counter file is read before the broker is contacted (port 1: nothing listens there).
        AssertOneLine(CliRun.Of("backend", "watch", "--device", "d", "--tenant", "acme", "--gate", "F06E616E6F47410A",
            "--mac-key-file", key, "--state", counter, "--broker", "mqtt://127.0.0.1:1", "--duration", "1"), counter);
    }

    private string[] Backend(params string[] more)
    {
        string keys = more.Contains("--keys") ? more[Array.IndexOf(more, "--keys") + 1]
            : Write("tenant-keys.json", "{\"kvn\":\"30\",\"enc\":\"404142434445464748494A4B4C4D4E4F\",\"mac\":\"404142434445464748494A4B4C4D4E4F\",\"dek\":\"404142434445464748494A4B4C4D4E4F\"}");
        if (!OperatingSystem.IsWindows() && File.Exists(keys))
        {
            File.SetUnixFileMode(keys, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        string script = more.Contains("--script") ? more[Array.IndexOf(more, "--script") + 1] : Write("get.apdu", "00CA006600\n");
        string state = more.Contains("--state") ? more[Array.IndexOf(more, "--state") + 1] : _dir.File("backend-state.json");
        string requestKey = more.Contains("--request-key") ? more[Array.IndexOf(more, "--request-key") + 1]
            : Write("request-key.json", "{\"kvn\":\"60\",\"enc\":\"505152535455565758595A5B5C5D5E5F\",\"mac\":\"505152535455565758595A5B5C5D5E5F\",\"dek\":\"505152535455565758595A5B5C5D5E5F\"}");
        if (!OperatingSystem.IsWindows() && File.Exists(requestKey))
        {
            File.SetUnixFileMode(requestKey, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return ["backend", "run", "--device", "d", "--tenant", "acme", "--sd", "A000000151000000", "--keys", keys, "--request-key", requestKey, "--state", state, "--dry-run", script];
    }

    private static void AssertOneLine(CliRun run, string path)
    {
        Assert.True(run.ExitCode == ExitCodes.Usage, $"exit {run.ExitCode}: {run.Error}");
        string line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains(Path.GetFileName(path), line);
        Assert.DoesNotContain("   at ", run.Error + run.Output);
    }

    private string[] Agent(params string[] more)
    {
        string tenants = _dir.File("tenants.txt");
        if (!more.Contains("--tenants") && !File.Exists(tenants))
        {
            File.WriteAllText(tenants, "acme A0000001515350410A 1\n");
        }

        var args = new List<string> { "agent", "--state", _dir.File("se.json"), "--no-platform-scp" };
        if (!more.Contains("--tenants"))
        {
            args.AddRange(["--tenants", tenants]);
        }

        if (!more.Contains("--store"))
        {
            args.AddRange(["--store", _dir.File("relay-store.json"), "--new-store"]);
        }

        if (more.Contains("--platform-keys"))
        {
            args.Remove("--no-platform-scp");
        }

        if (!more.Contains("--embedded-broker"))
        {
            args.AddRange(["--broker", "mqtt://127.0.0.1:1"]);
        }

        return [.. args, .. more.Distinct()];
    }

    private string Bad(string name, string kind)
    {
        string path = _dir.File(name);
        if (kind == "directory")
        {
            Directory.CreateDirectory(path);
            return path;
        }

        Write(name, Corrupt);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite); // key files must be 600 to be read at all
        }

        return path;
    }

    private string Write(string name, string text)
    {
        File.WriteAllText(_dir.File(name), text);
        return _dir.File(name);
    }

    private string IssuerKey()
    {
        string path = _dir.File("issuer.pub.pem");
        if (!File.Exists(path))
        {
            using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            File.WriteAllText(_dir.File("issuer.key.pem"), key.ExportECPrivateKeyPem());
            File.WriteAllText(path, key.ExportSubjectPublicKeyInfoPem());
        }

        return path;
    }

    private string SignedBundle()
    {
        IssuerKey();
        using ECDsa key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(_dir.File("issuer.key.pem")));
        byte[] requestKey = new byte[16];
        var signer = new RequestSigner(NanoAgent.Drivers.Host.Crypto.BouncyCastleAesFactory.Instance.CreateAes(requestKey, 0, 16), 0x60, "d", "owner");
        byte[] request = signer.Sign(new ScriptRequest
        {
            ScriptId = [1, 2, 3, 4], TenantId = "owner", Counter = 1, TargetAid = Hex.Parse("A000000151000000"),
            Steps = [new ScriptStep(Hex.Parse("80CA9F7F00"), 0x9000, 0xFFFF, false, true)],
        });
        return Write("signed.json", new BundleBuilder().Add(request).Sign("b", "d", key).ToJson());
    }
}

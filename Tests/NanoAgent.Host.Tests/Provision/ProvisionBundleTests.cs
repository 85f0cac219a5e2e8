using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using NanoAgent.Host.Provision;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.Host.Tests.Provision;

/// <summary>Bundle integrity: a tampered or foreign bundle is refused before anything is published.</summary>
public sealed class ProvisionBundleTests : IDisposable
{
    private readonly ProvisionRig _rig = new();

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void Provision_RequestAlteredHashKept_RefusedNothingSent()
    {
        JsonObject json = Json();
        byte[] request = Convert.FromBase64String((string)json["items"]![2]!["request"]!);
        request[^1] ^= 0x01;
        json["items"]![2]!["request"] = Convert.ToBase64String(request);

        AssertRefused(json, "does not match its SHA-256");
    }

    [Fact]
    public void Provision_RequestAndHashAltered_SignatureRefusesIt()
    {
        // Swap acme's and beta's expected SW in a way that still decodes; recompute the hash: only the signature catches it.
        JsonObject json = Json();
        byte[] request = Convert.FromBase64String((string)json["items"]![1]!["request"]!);
        request[^1] ^= 0x01; // the expected SW of the plain GET DATA: 9000 -> 9001
        json["items"]![1]!["request"] = Convert.ToBase64String(request);
        json["items"]![1]!["sha256"] = Convert.ToHexString(SHA256.HashData(request));

        AssertRefused(json, "signature does not verify");
    }

    [Fact]
    public void Provision_ItemsReordered_Refused()
    {
        JsonObject json = Json();
        JsonArray items = json["items"]!.AsArray();
        JsonNode acme = items[2]!, beta = items[3]!;
        items.RemoveAt(3);
        items.RemoveAt(2);
        beta["order"] = 3;
        acme["order"] = 4;
        items.Add(beta);
        items.Add(acme);

        AssertRefused(json, "signature does not verify");
    }

    [Fact]
    public void Provision_Json_MatchesDocs()
    {
        CliRun run = CliRun.Of([.. _rig.Args(), "--json"]);

        System.Text.Json.JsonElement data = NanoAgent.Host.Tests.Cli.JsonDoc.AssertMatches("provision", run.Output, 0);
        Assert.True(data.GetProperty("complete").GetBoolean());
        Assert.Null(data.GetProperty("stopped").GetString());
        Assert.Equal(_rig.Dir.File("receipt.json"), data.GetProperty("receiptFile").GetString());
        Assert.All(data.GetProperty("items").EnumerateArray(), i => Assert.Equal("completed", i.GetProperty("outcome").GetString()));
    }

    [Fact]
    public void Provision_WrongIssuerKey_RefusedNothingSent()
    {
        using (ECDsa other = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            File.WriteAllText(_rig.IssuerKeyPath, other.ExportSubjectPublicKeyInfoPem());
        }

        AssertRefused(Json(), "signature does not verify");
    }

    [Fact]
    public void Provision_BundleForAnotherDevice_Refused()
    {
        string[] args = _rig.Args();
        args[Array.IndexOf(args, "--device") + 1] = "meter-002";

        CliRun run = CliRun.Of(args);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("not 'meter-002'", run.Error);
        Assert.Equal(-1, _rig.Sessions(ProvisionRig.SsdAcme));
    }

    [Fact]
    public void Pack_RequestFilesSignedWithIssuerKey_ConsoleAcceptsBundle()
    {
        Assert.Equal(0, CliRun.Of("provision", "issuer-key", "--private", _rig.Dir.File("k.pem"), "--public", _rig.Dir.File("k.pub.pem")).ExitCode);
        var args = new List<string> { "provision", "pack", "--out", _rig.BundlePath, "--bundle-id", "b2", "--device", ProvisionRig.Device, "--issuer-private", _rig.Dir.File("k.pem") };
        foreach (BundleItem item in _rig.Bundle.Items)
        {
            File.WriteAllBytes(_rig.Dir.File($"r{item.Order}.bin"), item.Request);
            args.AddRange(["--request", _rig.Dir.File($"r{item.Order}.bin")]);
        }

        CliRun pack = CliRun.Of([.. args]);
        string[] run = _rig.Args();
        run[Array.IndexOf(run, "--issuer-key") + 1] = _rig.Dir.File("k.pub.pem");
        CliRun provision = CliRun.Of(run);

        Assert.True(pack.ExitCode == 0, pack.Error);
        Assert.True(provision.ExitCode == 0, provision.Output + provision.Error);
        Assert.Contains("bundle b2 for meter-001: 4 items", provision.Output);
    }

    [Fact]
    public void Parse_RandomBytes_OnlyBundleException()
    {
        Gen.Byte.Array[0, 300].Sample(bytes => ParseOrRefuse(bytes), iter: 2000);
    }

    [Fact]
    public void Parse_MutatedValidBundle_OnlyBundleException()
    {
        byte[] valid = File.ReadAllBytes(_rig.BundlePath);
        Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Byte).Sample((at, value) =>
        {
            byte[] mutated = (byte[])valid.Clone();
            mutated[at] = value;
            ParseOrRefuse(mutated);
        }, iter: 2000);
    }

    private static void ParseOrRefuse(byte[] bytes)
    {
        try
        {
            ProvisionBundle.Parse(bytes);
        }
        catch (ProvisionBundleException)
        {
        }
    }

    private JsonObject Json() => JsonNode.Parse(File.ReadAllText(_rig.BundlePath))!.AsObject();

    private void AssertRefused(JsonObject bundle, string why)
    {
        File.WriteAllText(_rig.BundlePath, bundle.ToJsonString(), Encoding.UTF8);
        int isd = _rig.Sessions(CardState.DefaultIsdAid);

        CliRun run = CliRun.Of(_rig.Args());

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("bundle refused, nothing was sent", run.Error);
        Assert.True(run.Error.Contains(why), run.Error);
        Assert.Equal(isd, _rig.Sessions(CardState.DefaultIsdAid));
        Assert.Equal(-1, _rig.Sessions(ProvisionRig.SsdAcme)); // the owner's item never ran: no SSD
        Assert.False(File.Exists(_rig.Dir.File("journal.jsonl")));
        Assert.False(File.Exists(_rig.Dir.File("receipt.json")));
    }
}

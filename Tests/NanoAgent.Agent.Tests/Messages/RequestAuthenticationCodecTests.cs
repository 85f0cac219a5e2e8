using CsCheck;
using NanoAgent.Agent.Messages;
using NanoAgent.Drivers.Crypto;
using NanoAgent.Drivers.Host.Crypto;

namespace NanoAgent.Agent.Tests.Messages;

public class RequestAuthenticationCodecTests
{
    private static readonly Gen<string> Device = Gen.String[Gen.Char["abz09._-"], 1, 64];

    private static AesCmac Cmac(byte[] key) => new(BouncyCastleAesFactory.Instance.CreateAes(key, 0, key.Length));

    [Fact]
    public void Sign_ScriptRequest_MacCoversPrefixAndEveryByteBeforeTheField()
    {
        Gen.Select(MessageGens.Request, Gen.Byte.Array[16], Gen.Byte[0x60, 0x6F], Device).Sample((request, key, kvn, device) =>
        {
            byte[] bytes = new RequestSigner(BouncyCastleAesFactory.Instance.CreateAes(key, 0, 16), kvn, device, request.TenantId).Sign(request);
            ScriptRequest back = ScriptMessageCodec.DecodeScriptRequest(bytes);

            // docs/protocol.md §3.9: the field is last, 86 11 KVN MAC; the MAC input is the prefix then bytes [0, SignedLength).
            Assert.Equal(bytes.Length - 19, back.SignedLength);
            Assert.Equal([0x86, 0x11, kvn], bytes[back.SignedLength..(back.SignedLength + 3)]);
            byte[] mac = new byte[16];
            RequestMac.Compute(Cmac(key), device, request.TenantId, bytes, back.SignedLength, mac, 0);
            Assert.Equal(mac, back.Authenticator![1..]);
            Assert.Equal(bytes, ScriptMessageCodec.Encode(back));
            Assert.Equal((request.Counter, request.ResetAuthGuard, request.ResetAuthGuardOf), (back.Counter, back.ResetAuthGuard, back.ResetAuthGuardOf));
        }, iter: 500);
    }

    [Fact]
    public void Sign_ApduRequest_MacCoversPrefixAndEveryByteBeforeTheField()
    {
        Gen.Select(MessageGens.Id, Gen.Int[1, int.MaxValue], MessageGens.Apdu, Gen.Bool, Gen.Byte.Array[16], MessageGens.Ident).Sample((id, seq, apdu, end, key, tenant) =>
        {
            var request = new ApduRequest { ScriptId = id, Sequence = seq, Command = apdu, End = end };
            byte[] bytes = new RequestSigner(BouncyCastleAesFactory.Instance.CreateAes(key, 0, 16), 0x61, "dev1", tenant).Sign(request);
            ApduRequest back = ScriptMessageCodec.DecodeApduRequest(bytes);

            Assert.Equal(bytes.Length - 19, back.SignedLength);
            Assert.Equal(0x84, bytes[back.SignedLength]);
            byte[] mac = new byte[16];
            RequestMac.Compute(Cmac(key), "dev1", tenant, bytes, back.SignedLength, mac, 0);
            Assert.Equal(mac, back.Authenticator![1..]);
            Assert.Same(bytes, back.Payload);
        }, iter: 500);
    }

    [Fact]
    public void Sign_DocumentedExample_IsByteExact()
    {
        // docs/protocol.md §3.9: the §3.2 example with request key 2B7E1516... (NIST SP 800-38B), version 60, device
        // "dev1". MAC recomputed independently with Python's `cryptography` AES-CMAC over 01 04 "dev1" 04 "acme" || bytes.
        var signer = new RequestSigner(BouncyCastleAesFactory.Instance.CreateAes(Hex.Parse("2B7E151628AED2A6ABF7158809CF4F3C"), 0, 16), 0x60, "dev1", "acme");
        byte[] bytes = signer.Sign(new ScriptRequest
        {
            ScriptId = "s1"u8.ToArray(), TenantId = "acme", Counter = 7, TargetAid = Hex.Parse("F06E616E6F534401"), Mode = ScriptMode.Batch,
            Steps = [new ScriptStep(Hex.Parse("81CA004200"), 0x9000, 0xFFFF, false, false)],
        });
        Assert.Equal(
            "01E137" + "80027331810461636D658201078308F06E616E6F534401A00B800581CA00420081029000" + "861160" + "8F95C8CDBD4AAB5DD39D04FE7EEB87EB",
            Hex.Of(bytes));
    }

    [Fact]
    public void Sign_SameRequestTwice_SameBytes()
    {
        // At-least-once re-sending sends the same bytes: CMAC is deterministic.
        var signer = new RequestSigner(BouncyCastleAesFactory.Instance.CreateAes(new byte[16], 0, 16), 0x60, "dev1", "acme");
        var request = new ScriptRequest { ScriptId = [1], TenantId = "acme", Counter = 7, TargetAid = Hex.Parse("F06E616E6F534401"), Mode = ScriptMode.Interactive, Steps = [] };
        Assert.Equal(signer.Sign(request), signer.Sign(request));
    }

    [Theory]
    [InlineData("01E127" + "80027331" + "810461636D65" + "820107" + "8308F06E616E6F534401" + "8601FF" + "A00B800581CA00420081029000")] // authenticator before a step
    [InlineData("01E122" + "80027331" + "810461636D65" + "8209010203040506070809" + "8308F06E616E6F534401" + "840101")] // 9-byte counter
    public void DecodeScriptRequest_AuthenticatorNotLastOrCounterTooLong_InvalidField(string hex)
    {
        var e = Assert.Throws<AgentMessageException>(() => ScriptMessageCodec.DecodeScriptRequest(Hex.Parse(hex)));
        Assert.Equal(AgentMessageError.InvalidField, e.Error);
    }

    [Fact]
    public void DecodeApduRequest_TwoAuthenticators_InvalidField()
    {
        var e = Assert.Throws<AgentMessageException>(() => ScriptMessageCodec.DecodeApduRequest(Hex.Parse("01E20D" + "80027331" + "810101" + "8401FF" + "8401FF")));
        Assert.Equal(AgentMessageError.InvalidField, e.Error);
    }

    [Fact]
    public void Decode_LargestCounter_RoundTripsInEightBytes()
    {
        var request = new ScriptRequest { ScriptId = [1], TenantId = "acme", Counter = ulong.MaxValue, TargetAid = Hex.Parse("F06E616E6F534401"), Mode = ScriptMode.Interactive, Steps = [] };
        byte[] bytes = ScriptMessageCodec.Encode(request);
        Assert.Contains("8208FFFFFFFFFFFFFFFF", Hex.Of(bytes));
        Assert.Equal(ulong.MaxValue, ScriptMessageCodec.DecodeScriptRequest(bytes).Counter);
    }
}

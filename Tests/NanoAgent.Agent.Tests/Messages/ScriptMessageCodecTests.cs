using CsCheck;
using NanoAgent.Agent.Messages;

namespace NanoAgent.Agent.Tests.Messages;

public class ScriptMessageCodecTests
{
    // docs/protocol.md §3.2 example: script "s1" of tenant "acme", counter 7, SD F06E616E6F534401, one GET DATA IIN step.
    private const string ExampleRequest =
        "01 E1 24 80027331 810461636D65 820107 8308F06E616E6F534401 A00B 800581CA004200 81029000";

    [Fact]
    public void DecodeScriptRequest_DocumentedExample_ReadsEveryField()
    {
        ScriptRequest r = ScriptMessageCodec.DecodeScriptRequest(Hex.Parse(ExampleRequest));

        Assert.Equal(("7331", "acme", 7u, "F06E616E6F534401", ScriptMode.Batch), (Hex.Of(r.ScriptId), r.TenantId, r.Counter, Hex.Of(r.TargetAid), r.Mode));
        ScriptStep step = Assert.Single(r.Steps);
        Assert.Equal(("81CA004200", (ushort)0x9000, (ushort)0xFFFF, false, false), (Hex.Of(step.Command), step.ExpectedSw, step.SwMask, step.ContinueOnFail, step.ReturnData));
        Assert.Equal(39, r.EncodedLength);
    }

    [Fact]
    public void Encode_DocumentedExample_IsByteExact()
    {
        var request = new ScriptRequest
        {
            ScriptId = "s1"u8.ToArray(), TenantId = "acme", Counter = 7, TargetAid = Hex.Parse("F06E616E6F534401"),
            Steps = [new ScriptStep(Hex.Parse("81CA004200"), 0x9000, 0xFFFF, false, false)],
        };
        Assert.Equal(ExampleRequest.Replace(" ", string.Empty), Hex.Of(ScriptMessageCodec.Encode(request)));
    }

    [Theory]
    [InlineData("", AgentMessageError.Truncated)]
    [InlineData("02E100", AgentMessageError.UnsupportedVersion)]
    [InlineData("01", AgentMessageError.Truncated)]
    [InlineData("01E200", AgentMessageError.UnknownType)]
    [InlineData("01E1058002733100", AgentMessageError.BadTlv)] // trailing byte inside, truncated object
    [InlineData("01E1048002733100", AgentMessageError.BadTlv)] // a byte after the message
    [InlineData("01E100", AgentMessageError.MissingField)]
    [InlineData("01E10880027331800273 31", AgentMessageError.DuplicateField)]
    [InlineData("01E1039F0100", AgentMessageError.InvalidField)] // unknown field
    [InlineData("01E11D 80027331 810461636D65 820107 8308F06E616E6F534401 A004 8002CA00", AgentMessageError.InvalidField)] // APDU of 2 bytes
    [InlineData("01E117 80027331 810461636D65 820107 8308F06E616E6F534401", AgentMessageError.InvalidField)] // batch without steps
    [InlineData("01E117 80027331 8104612F6D65 820107 8308F06E616E6F534401", AgentMessageError.InvalidField)] // tenant "a/me": '/' would split the topic
    public void DecodeScriptRequest_Malformed_ThrowsWithCode(string hex, AgentMessageError error)
    {
        var e = Assert.Throws<AgentMessageException>(() => ScriptMessageCodec.DecodeScriptRequest(Hex.Parse(hex)));
        Assert.Equal(error, e.Error);
    }

    [Fact]
    public void ScriptRequest_RoundTrips()
    {
        MessageGens.Request.Sample(request =>
        {
            byte[] bytes = ScriptMessageCodec.Encode(request);
            ScriptRequest back = ScriptMessageCodec.DecodeScriptRequest(bytes);
            Assert.Equal(bytes, ScriptMessageCodec.Encode(back));
            Assert.Equal((request.TenantId, request.Counter, request.Mode, request.Steps.Length), (back.TenantId, back.Counter, back.Mode, back.Steps.Length));
            Assert.Equal(bytes.Length, back.EncodedLength);
        }, iter: 1000);
    }

    [Fact]
    public void ApduRequest_RoundTrips()
    {
        Gen.Select(MessageGens.Id, Gen.Int[1, int.MaxValue], MessageGens.Apdu, Gen.Int[0, 2]).Sample((id, seq, apdu, shape) =>
        {
            var request = new ApduRequest { ScriptId = id, Sequence = seq, Command = shape == 0 ? null : apdu, End = shape != 1 };
            byte[] bytes = ScriptMessageCodec.Encode(request);
            ApduRequest back = ScriptMessageCodec.DecodeApduRequest(bytes);
            Assert.Equal(bytes, ScriptMessageCodec.Encode(back));
        }, iter: 1000);
    }

    [Fact]
    public void Decoders_RandomBytes_ThrowOnlyAgentMessageException()
    {
        Gen.Select(Gen.Byte.Array[0, 300], Gen.Int[0xE1, 0xE6]).Sample((bytes, type) =>
        {
            // Most random payloads die at the version byte; give half of them a valid prefix to reach the TLV walk.
            if (bytes.Length > 2 && (bytes[0] & 1) == 0)
            {
                bytes[0] = 0x01;
                bytes[1] = (byte)type;
            }

            DecodeAll(bytes);
        }, iter: 3000);
    }

    [Fact]
    public void Decoders_MutatedValidMessages_ThrowOnlyAgentMessageException()
    {
        Gen.Select(MessageGens.Request, Gen.Int[0, 1000], Gen.Byte, Gen.Int[0, 2]).Sample((request, at, value, how) =>
        {
            byte[] bytes = ScriptMessageCodec.Encode(request);
            int i = at % bytes.Length;
            byte[] mutated = how switch
            {
                0 => bytes.Select((b, j) => j == i ? value : b).ToArray(),
                1 => bytes[..i],
                _ => [.. bytes[..i], value, .. bytes[i..]],
            };
            DecodeAll(mutated);
        }, iter: 3000);
    }

    internal static void DecodeAll(byte[] bytes)
    {
        foreach (Func<byte[], object> decode in new Func<byte[], object>[]
        {
            ScriptMessageCodec.DecodeScriptRequest, ScriptMessageCodec.DecodeApduRequest, ReportMessageCodec.DecodeResult,
            ReportMessageCodec.DecodeProgress, ReportMessageCodec.DecodeApduResponse, StatusMessageCodec.DecodeStatus,
        })
        {
            try
            {
                decode(bytes);
            }
            catch (AgentMessageException)
            {
            }
        }
    }
}

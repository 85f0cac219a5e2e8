using System.Text;
using NanoAgent.Agent.Gating;
using NanoAgent.Agent.Messages;
using NanoAgent.Host.Backend;

namespace NanoAgent.Fuzz.Tests;

/// <summary>Mutation fuzzing of the relay message codecs, the gate envelope and the script file format (see <see cref="Fuzzer"/>).</summary>
public class AgentParserFuzzTests
{
    [Fact]
    public void ScriptMessageCodec_MutatedRequests_ThrowOnlyAgentMessageException() => Fuzzer.Run("ScriptMessageCodec", b =>
    {
        // docs/protocol.md §3: decoding is strict, AgentMessageException is the only failure.
        ScriptMessageCodec.PeekType(b);
        Fuzzer.Check(b, p => ScriptMessageCodec.DecodeScriptRequest(p), IsDocumented);
        Fuzzer.Check(b, p => ScriptMessageCodec.DecodeApduRequest(p), IsDocumented);
    }, _ => false);

    [Fact]
    public void ReportMessageCodec_MutatedReports_ThrowOnlyAgentMessageException() => Fuzzer.Run("ReportMessageCodec", b =>
    {
        Fuzzer.Check(b, p => ReportMessageCodec.DecodeResult(p), IsDocumented);
        Fuzzer.Check(b, p => ReportMessageCodec.DecodeProgress(p), IsDocumented);
        Fuzzer.Check(b, p => ReportMessageCodec.DecodeApduResponse(p), IsDocumented);
    }, _ => false);

    [Fact]
    public void StatusMessageCodec_MutatedStatus_ThrowOnlyAgentMessageException() =>
        Fuzzer.Run("StatusMessageCodec", b => StatusMessageCodec.DecodeStatus(b), IsDocumented);

    [Fact]
    public void GateEnvelope_MutatedEnvelopes_NeverThrow() => Fuzzer.Run("GateEnvelope", b =>
    {
        var envelope = new GateEnvelope();
        if (envelope.TryParse(b, 0, b.Length))
        {
            Assert.True(envelope.BodyOffset >= 0 && envelope.BodyOffset + envelope.BodyLength <= b.Length);
        }
    }, _ => false);

    [Fact]
    public void ScriptFile_MutatedScripts_ThrowOnlyScriptFileException() => Fuzzer.Run(
        "ScriptFile",
        b => ScriptFile.Parse(Encoding.UTF8.GetString(b), "fuzz"),
        e => e is ScriptFileException);

    [Fact]
    public void Corpus_EverySeedDecodes()
    {
        foreach (byte[] seed in Corpus.Load("ScriptMessageCodec"))
        {
            Assert.NotEqual((MessageType)0, ScriptMessageCodec.PeekType(seed));
        }

        foreach (byte[] seed in Corpus.Load("StatusMessageCodec"))
        {
            Assert.NotNull(StatusMessageCodec.DecodeStatus(seed).DeviceId);
        }

        foreach (byte[] seed in Corpus.Load("GateEnvelope"))
        {
            Assert.True(new GateEnvelope().TryParse(seed, 0, seed.Length));
        }

        foreach (byte[] seed in Corpus.Load("ScriptFile"))
        {
            Assert.NotEmpty(ScriptFile.Parse(Encoding.UTF8.GetString(seed), "seed").Steps);
        }
    }

    private static bool IsDocumented(Exception e) => e is AgentMessageException;
}

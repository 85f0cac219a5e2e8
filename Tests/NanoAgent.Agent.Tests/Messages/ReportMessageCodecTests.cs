using CsCheck;
using NanoAgent.Agent.Messages;

namespace NanoAgent.Agent.Tests.Messages;

public class ReportMessageCodecTests
{
    // docs/protocol.md §3.6 example: "s1" of acme failed at step 1 (6D00) after step 0 passed.
    private const string ExampleResult =
        "01 E5 2E 80027331 810461636D65 820107 830101 850101 860103 A00A 800100 810101 82029000 A00A 800101 810102 82026D00";

    [Fact]
    public void Encode_DocumentedExample_IsByteExact()
    {
        var result = new ScriptResult
        {
            ScriptId = "s1"u8.ToArray(), TenantId = "acme", Counter = 7, Outcome = ScriptOutcome.Failed, FailedStep = 1, StepCount = 3,
            Steps = [new StepResult(0, StepOutcome.Passed, 0x9000, null), new StepResult(1, StepOutcome.SwMismatch, 0x6D00, null)],
        };
        Assert.Equal(ExampleResult.Replace(" ", string.Empty), Hex.Of(ReportMessageCodec.Encode(result)));
    }

    [Fact]
    public void Result_RoundTrips()
    {
        MessageGens.Result.Sample(result =>
        {
            byte[] bytes = ReportMessageCodec.Encode(result);
            Assert.Equal(bytes, ReportMessageCodec.Encode(ReportMessageCodec.DecodeResult(bytes)));
        }, iter: 1000);
    }

    [Fact]
    public void Progress_Response_Status_RoundTrip()
    {
        Gen.Select(MessageGens.Id, Gen.Int[0, 100000], Gen.UShort, Gen.Byte.Array[2, 300], Gen.Int[0, 12], MessageGens.Ident).Sample((id, n, sw, rsp, reason, device) =>
        {
            byte[] progress = ReportMessageCodec.Encode(new ScriptProgress { ScriptId = id, StepsDone = n, StepCount = n + 1, LastSw = sw });
            Assert.Equal(progress, ReportMessageCodec.Encode(ReportMessageCodec.DecodeProgress(progress)));

            var response = new ApduResponse { ScriptId = id, Sequence = n, Response = reason == 0 ? rsp : null, Reason = (RejectReason)reason };
            byte[] r = ReportMessageCodec.Encode(response);
            Assert.Equal(r, ReportMessageCodec.Encode(ReportMessageCodec.DecodeApduResponse(r)));

            byte[] status = StatusMessageCodec.Encode(new AgentStatus { Online = n % 2 == 0, DeviceId = device });
            Assert.Equal(status, StatusMessageCodec.Encode(StatusMessageCodec.DecodeStatus(status)));
        }, iter: 1000);
    }

    [Fact]
    public void StorageCodes_RoundTripAndValuesOutsideTheCodesAreRefused()
    {
        // docs/protocol.md §3.8: outcome 10 "storage failed" and reject reason 10 "storage error".
        var stopped = new ScriptResult
        {
            ScriptId = "s1"u8.ToArray(), TenantId = "acme", Counter = 7, Outcome = ScriptOutcome.StorageFailed, FailedStep = 1, StepCount = 3,
            Steps = [new StepResult(0, StepOutcome.Passed, 0x9000, null)],
        };
        byte[] bytes = ReportMessageCodec.Encode(stopped);
        Assert.Equal(ScriptOutcome.StorageFailed, ReportMessageCodec.DecodeResult(bytes).Outcome);
        Assert.Contains("830110", Hex.Of(bytes));

        byte[] rejected = ReportMessageCodec.Encode(ScriptResult.Rejection("acme", "s2"u8.ToArray(), 8, RejectReason.StorageError));
        Assert.Equal(RejectReason.StorageError, ReportMessageCodec.DecodeResult(rejected).Reason);
        Assert.Contains("840110", Hex.Of(rejected));

        // Outcomes jump from 05 to 10: a value in the gap is not a code; reasons end at 12 (no free channel).
        Assert.Throws<AgentMessageException>(() => ReportMessageCodec.DecodeResult(Hex.Parse(Hex.Of(bytes).Replace("830110", "830109"))));
        Assert.Throws<AgentMessageException>(() => ReportMessageCodec.DecodeResult(Hex.Parse(Hex.Of(rejected).Replace("840110", "840113"))));
        byte[] waited = ReportMessageCodec.Encode(ScriptResult.Rejection("acme", "s3"u8.ToArray(), 9, RejectReason.NoFreeChannel));
        Assert.Equal((RejectReason.NoFreeChannel, true), (ReportMessageCodec.DecodeResult(waited).Reason, Hex.Of(waited).Contains("840112")));
    }

    [Fact]
    public void DecodeResult_MutatedValidResults_ThrowOnlyAgentMessageException()
    {
        Gen.Select(MessageGens.Result, Gen.Int[0, 1000], Gen.Byte).Sample((result, at, value) =>
        {
            byte[] bytes = ReportMessageCodec.Encode(result);
            bytes[at % bytes.Length] = value;
            ScriptMessageCodecTests.DecodeAll(bytes);
            ScriptMessageCodecTests.DecodeAll(bytes[..(at % bytes.Length)]);
        }, iter: 3000);
    }

    [Fact]
    public void StatusOffline_IsTheDocumentedWill()
    {
        // docs/protocol.md §3.7: 01 E6 09 80 01 00 81 04 "dev1".
        Assert.Equal("01E609800100810464657631", Hex.Of(StatusMessageCodec.Encode(new AgentStatus { Online = false, DeviceId = "dev1" })));
    }
}

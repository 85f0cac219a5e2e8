using CsCheck;
using NanoAgent.Agent.Messages;

namespace NanoAgent.Agent.Tests.Messages;

/// <summary>Generators of valid agent messages for the property tests.</summary>
internal static class MessageGens
{
    public static readonly Gen<string> Ident =
        Gen.String[Gen.Char["ABCXYZabcxyz0189._-"], 1, 32];

    public static readonly Gen<byte[]> Id = Gen.Byte.Array[1, 32];

    public static readonly Gen<byte[]> Aid = Gen.Byte.Array[5, 16];

    /// <summary>A well-formed command APDU: case 1, 2S, 3S or 4S.</summary>
    public static readonly Gen<byte[]> Apdu =
        Gen.Select(Gen.Byte.Array[4], Gen.Byte.Array[0, 40], Gen.Int[-1, 255]).Select((header, data, le) =>
        {
            var apdu = new List<byte>(header);
            if (data.Length > 0)
            {
                apdu.Add((byte)data.Length);
                apdu.AddRange(data);
            }

            if (le >= 0)
            {
                apdu.Add((byte)le);
            }

            return apdu.ToArray();
        });

    public static readonly Gen<ScriptStep> Step =
        Gen.Select(Apdu, Gen.UShort, Gen.UShort, Gen.Bool, Gen.Bool).Select((a, sw, mask, c, d) => new ScriptStep(a, sw, mask, c, d));

    /// <summary>An authenticator as a decoder may meet it: absent, truncated or full (key version then MAC).</summary>
    public static readonly Gen<byte[]?> Authenticator =
        Gen.Frequency((1, Gen.Const((byte[]?)null)), (1, Gen.Byte.Array[1, 16].Select(b => (byte[]?)b)), (2, Gen.Byte.Array[17].Select(b => (byte[]?)b)));

    public static readonly Gen<ScriptRequest> Request =
        Gen.Select(Id, Ident, Gen.ULong, Aid, Gen.Int[0, 1024], Step.Array[0, 12], Gen.Bool, Gen.Select(Authenticator, Gen.Frequency((3, Gen.Const((string?)null)), (1, Ident.Select(i => (string?)i)))))
            .Select((id, tenant, counter, aid, every, steps, reset, authAndOf) =>
            new ScriptRequest
            {
                ScriptId = id,
                TenantId = tenant,
                Counter = counter,
                TargetAid = aid,
                Mode = steps.Length == 0 ? ScriptMode.Interactive : ScriptMode.Batch,
                ProgressEvery = every,
                ResetAuthGuard = reset,
                ResetAuthGuardOf = authAndOf.Item2,
                Steps = steps,
                Authenticator = authAndOf.Item1,
            });

    public static readonly Gen<StepResult> StepResult =
        Gen.Select(Gen.Int[0, 5000], Gen.Int[0, 3], Gen.UShort, Gen.Byte.Array[0, 20], Gen.Bool).Select((i, o, sw, data, hasData) =>
        {
            var outcome = (StepOutcome)o;
            bool answered = outcome is StepOutcome.Passed or StepOutcome.SwMismatch;
            return new StepResult(i, outcome, answered ? sw : (ushort)0, hasData ? data : null);
        });

    public static readonly Gen<ScriptResult> Result =
        Gen.Select(Gen.Byte.Array[0, 32], Ident, Gen.ULong, Gen.Int[0, 5], Gen.Int[1, 16], Gen.Int[-1, 3000], Gen.UShort, StepResult.Array[0, 10])
            .Select((id, tenant, counter, outcome, reason, failed, setup, steps) => new ScriptResult
            {
                ScriptId = id,
                TenantId = tenant,
                Counter = counter,
                Outcome = (ScriptOutcome)outcome,
                Reason = outcome == (int)ScriptOutcome.Rejected ? (RejectReason)reason : RejectReason.None,
                FailedStep = failed,
                StepCount = steps.Length + 3,
                SetupSw = setup,
                Steps = steps,
            });
}

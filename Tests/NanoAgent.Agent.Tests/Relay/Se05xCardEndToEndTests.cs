using NanoAgent.Agent.Gating;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Tests.Fakes;
using NanoAgent.Drivers.Crypto;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Lifecycle;
using static NanoAgent.Agent.Tests.Fakes.Se05xCardRig;

namespace NanoAgent.Agent.Tests.Relay;

/// <summary>
/// docs/se05x.md end to end in process: the real relay, request verifier and gates on the virtual SE05x (IoT applet only,
/// no custom applet), with the owner's bootstrap, onboarding through the owner's applet session, and tenants running their
/// own applet-level SCP03 through the relay. The host tests run the same as separate processes over mosquitto.
/// </summary>
public class Se05xCardEndToEndTests
{
    [Fact]
    public void Onboarding_TheOwnerCreatesTheTenant_TheTenantAuthenticatesItsOwnSession()
    {
        var rig = new Se05xCardRig();
        rig.Onboard("acme");

        using TenantSession acme = rig.Open("acme");
        byte[] random = acme.Send(Hex.Parse("800400490441020010"));

        Assert.EndsWith("9000", Hex.Of(random));
        Assert.InRange(random.Length, 2 + 16 + 2, 4 + 16 + 2); // TLV[TAG_1] with 16 random bytes, the applet's length form
        Assert.Equal(1, rig.Card.OpenSessions);
        Assert.True(rig.Verifier.OneShots >= 4, "each request (the owner's opening and APDUs, acme's) was verified in one MACOneShot");
        Assert.Equal(0, rig.Verifier.Streamed);
    }

    [Fact]
    public void Opening_AnswersTheAppletVersion_TheEndClosesTheAppletSession()
    {
        var rig = new Se05xCardRig();
        rig.Onboard("acme");
        TenantSession acme = rig.Open("acme");
        Assert.Equal(Hex.Of(rig.Card.VersionBytes) + "9000", Hex.Of(acme.Opening!.Response!));

        acme.Dispose();

        Assert.Equal(ScriptOutcome.Completed, rig.Listener.LastResult.Outcome);
        Assert.Equal(0, rig.Card.OpenSessions);
        Assert.Equal(0, rig.Relay.OpenSessionCount);
    }

    [Fact]
    public void Gate_ReadingsAndCommandsOnTheTenantsObjects_VerifyWithTheBackendsKeys()
    {
        var rig = new Se05xCardRig();
        rig.Onboard("acme");
        rig.SetUpGate("acme");
        byte[] aid = Hex.Parse("F06E616E6F47410A");
        var gate = new Se05xReadingGate(rig.Applet, aid, Acme);

        byte[] output = new byte[27];
        Assert.Equal(0x9000, gate.SignReading([0xAA, 0xBB], 0, 2, output, 0, out _));
        ulong counter = GateEnvelopeWriter.ReadCounter(output, 0);
        byte[] input = new byte[GateMacInput.MaxLength];
        int n = GateMacInput.Build(GateCard.Se05x, GateMacInput.ReadingLabel, aid, counter, [0xAA, 0xBB], 0, 2, input, 0);
        Assert.Equal(Hex.Of(Cmac(Key("acme-reading"), input[..n])), Hex.Of(output, 8, 16));
        Assert.Equal(Hex.Of(Cmac(Key("acme-reading"), Enumerable.Repeat((byte)1, 16).ToArray())[..3]), Hex.Of(output, 24, 3));
        Assert.Equal(1UL << 32 | 1, counter);

        byte[] command = SignedCommand(aid, Key("acme-command"), 5, [0x01]);
        Assert.Equal(0x9000, gate.VerifyCommand(command, 0, command.Length));
        Assert.Equal(0x6985, gate.VerifyCommand(command, 0, command.Length));
        byte[] forged = SignedCommand(aid, Key("beta-command"), 6, [0x01]);
        Assert.Equal(0x6982, gate.VerifyCommand(forged, 0, forged.Length));
    }

    [Fact]
    public void Gate_EpochRaisedOncePerStart_ReadingsWriteNoNvm()
    {
        var rig = new Se05xCardRig();
        rig.Onboard("acme");
        rig.SetUpGate("acme");
        var gate = new Se05xReadingGate(rig.Applet, Hex.Parse("F06E616E6F47410A"), Acme);
        byte[] output = new byte[27];
        Assert.Equal(0x9000, gate.SignReading([1], 0, 1, output, 0, out _));
        long writes = rig.Card.NvmWrites;

        for (int i = 0; i < 96; i++)
        {
            Assert.Equal(0x9000, gate.SignReading([1], 0, 1, output, 0, out _));
        }

        Assert.Equal(writes, rig.Card.NvmWrites);
        Assert.Equal(1, rig.Card.WritesOf(Se05xTenantLayout.Object(Acme, Se05xTenantLayout.ReadingEpoch)) - 1);
    }

    [Fact]
    public void RequestAuthentication_WrongKeyOrVersionOrTenant_RefusedBeforeAnythingIsStored()
    {
        var rig = new Se05xCardRig();
        rig.Onboard("acme");
        rig.Onboard("beta");

        // acme's request signed with beta's request key, on acme's topic.
        ScriptRequest forged = ScriptMessageCodec.DecodeScriptRequest(RelayRig.Signer("acme", keyOf: "beta").Sign(new ScriptRequest
        {
            ScriptId = [1], TenantId = "acme", Counter = 7, TargetAid = Hex.Parse(AppletAid), Mode = ScriptMode.Interactive, Steps = [],
        }));
        rig.Relay.Submit("acme", forged);
        Assert.Equal(RejectReason.NotAuthenticated, rig.Listener.LastResult.Reason);

        // The right key for another device (the MAC binds the device id).
        ScriptRequest otherDevice = ScriptMessageCodec.DecodeScriptRequest(RelayRig.Signer("acme", device: "dev2").Sign(new ScriptRequest
        {
            ScriptId = [2], TenantId = "acme", Counter = 8, TargetAid = Hex.Parse(AppletAid), Mode = ScriptMode.Interactive, Steps = [],
        }));
        rig.Relay.Submit("acme", otherDevice);
        Assert.Equal(RejectReason.NotAuthenticated, rig.Listener.LastResult.Reason);
        Assert.Equal(0UL, rig.Store.GetCounter("acme"));
        Assert.Equal(0, rig.Card.OpenSessions);
    }

    [Fact]
    public void RequestAuthentication_LongRequest_StreamedThroughTheCryptoObject()
    {
        var rig = new Se05xCardRig();
        rig.Onboard("acme");
        long before = rig.Card.NvmWrites;

        // A batch whose MAC input is longer than one MACOneShot takes (892 - 31 bytes on applet 3.x).
        ScriptStep[] steps = Enumerable.Range(0, 8).Select(_ => RelayRig.Step("8002000000" + "0064" + new string('0', 200), 0x6982)).ToArray();
        ScriptRequest request = RelayRig.Script("acme", 9, "long", AppletAid, steps);
        Assert.True(request.SignedLength > 900);
        rig.Relay.Submit("acme", request);

        Assert.NotEqual(ScriptOutcome.Rejected, rig.Listener.LastResult.Outcome);
        Assert.Equal(1, rig.Verifier.Streamed);
        Assert.True(rig.Card.NvmWrites - before >= rig.Verifier.NvmWritingCommands - 1, "every streamed command but a failed one wrote NVM");
    }

    [Fact]
    public void FailedExternalAuthenticate_TheRelaysGuardWithholdsTheNextAttempt_LongBeforeTheAppletBlocks()
    {
        var rig = new Se05xCardRig();
        rig.Onboard("acme");
        using (TenantSession wrong = rig.OpenPlain("acme"))
        {
            // Someone with acme's request key but a wrong authentication key (a buggy backend): EXTERNAL AUTHENTICATE fails.
            Assert.EndsWith("9000", Hex.Of(wrong.Forward(Hex.Parse("80500000080102030405060708"))!));
            Assert.DoesNotMatch("9000$", Hex.Of(wrong.Forward(Hex.Parse("8482330010" + Hex.Of(Key("random"))))!));
        }

        Assert.Equal(1, rig.Card.Snapshot().Find(Acme)!.FailedAttempts);
        using TenantSession next = rig.OpenPlain("acme");
        Assert.Null(next.Forward(Hex.Parse("80500000080102030405060708")));
        Assert.Equal(RejectReason.AuthLockout, next.LastReason);
        Assert.False(rig.Card.Snapshot().Find(Acme)!.IsBlocked);
        Assert.Equal(Se05xTenantOnboarding.MaxAttempts, rig.Card.Snapshot().Find(Acme)!.MaxAttempts);
    }

    [Fact]
    public void ThirdSession_WaitsForOneOfTheAppletsTwo_RunsWhenOneEnds()
    {
        var rig = new Se05xCardRig();
        rig.Onboard("acme");
        rig.Onboard("beta");
        TenantSession acme = rig.Open("acme");
        using TenantSession beta = rig.Open("beta");
        Assert.Equal(2, rig.Card.OpenSessions);

        // The owner's opening finds both of the applet's sessions taken: it waits (the SE never sees a third CreateSession).
        int responses = rig.Listener.Responses.Count;
        rig.Relay.Submit("owner", RelayRig.Script("owner", rig.NextCounter(), "third", AppletAid));
        Assert.Equal(1, rig.Relay.WaitingCount);
        Assert.Equal(responses, rig.Listener.Responses.Count);

        acme.Dispose();

        Assert.Equal(0, rig.Relay.WaitingCount);
        ApduResponse opening = rig.Listener.LastResponse;
        Assert.Equal("third", System.Text.Encoding.ASCII.GetString(opening.ScriptId));
        Assert.Equal(Hex.Of(rig.Card.VersionBytes) + "9000", Hex.Of(opening.Response!));
        Assert.Equal(2, rig.Card.OpenSessions);
        Assert.Equal(2, rig.Relay.OpenSessionCount);
    }

    [Fact]
    public void SeReset_TheAgentSelectsTheAppletAgain_RequestsSessionsAndReadingsGoOn()
    {
        var rig = new Se05xCardRig();
        rig.Onboard("acme");
        rig.SetUpGate("acme");

        // An SE reset the agent did not see (a brown-out of the SE alone): the card manager is selected, the applet's sessions
        // and crypto objects are gone. The agent's next applet command meets the card manager and selects the applet again.
        rig.Card.Reset();
        int before = rig.Transport.Log.Count;
        using (TenantSession acme = rig.Open("acme"))
        {
            Assert.Equal(0x9000, acme.Sw(Hex.Parse("800400490441020010")));
        }

        Assert.Single(rig.Transport.Log.Skip(before), c => c[1] == 0xA4); // one SELECT, after the card manager's answer

        rig.Card.Reset();
        var gate = new Se05xReadingGate(rig.Applet, Hex.Parse("F06E616E6F47410A"), Acme);
        byte[] output = new byte[64];
        Assert.Equal(0x9000, gate.SignReading(new byte[] { 1, 2 }, 0, 2, output, 0, out int written));
        Assert.Equal(8 + 16 + 3, written);
    }

    private static byte[] SignedCommand(byte[] aid, byte[] key, ulong sequence, byte[] payload)
    {
        byte[] input = new byte[GateMacInput.MaxLength];
        int n = GateMacInput.Build(GateCard.Se05x, GateMacInput.CommandLabel, aid, sequence, payload, 0, payload.Length, input, 0);
        byte[] counter = new byte[8];
        GateEnvelopeWriter.WriteCounter(sequence, counter, 0);
        return [.. counter, .. payload, .. Cmac(key, input[..n])];
    }

    private static byte[] Cmac(byte[] key, byte[] data)
    {
        byte[] mac = new byte[16];
        new AesCmac(BouncyCastleAesFactory.Instance.CreateAes(key, 0, 16)).Compute(data, 0, data.Length, mac, 0);
        return mac;
    }
}

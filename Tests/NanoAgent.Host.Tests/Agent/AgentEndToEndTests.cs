using NanoAgent.Agent.Messages;

namespace NanoAgent.Host.Tests.Agent;

/// <summary>
/// The agent host end to end: a backend's MQTT client, a real broker (mosquitto, and the embedded broker), the relay and
/// the virtual SE with the tenants' SSDs. Expected answers come from the virtual card (GET DATA IIN, GPC v2.3.1 §11.3) and
/// docs/protocol.md §3-§7.
/// </summary>
public sealed class AgentEndToEndTests
{
    public static readonly TheoryData<string> Brokers = new() { "mosquitto", "embedded" };

    [Theory]
    [MemberData(nameof(Brokers))]
    public void Script_Plain_CompletesWithCardData(string kind)
    {
        using var rig = new AgentRig();
        using var broker = new TestBroker(kind);
        var host = rig.Start(rig.Options(broker.Address));
        var frames = new List<string>();
        host.Se.Virtual!.Target.HostFrame += f => { lock (frames) { frames.Add(Hex.Of(f)); } };
        var client = rig.Connect(broker.Address);

        client.Send(AgentRig.Script("acme", 1, "s1", AgentRig.AcmeSd, AgentRig.Iin(2)));
        ScriptResult result = client.Next();

        Assert.Equal(ScriptOutcome.Completed, result.Outcome);
        Assert.Equal(2, result.Steps.Length);
        Assert.All(result.Steps, s => Assert.Equal("42046E616E6F", Hex.Of(s.Data)));
        Assert.Equal(5, rig.Se.Count); // MANAGE CHANNEL open, SELECT, 2 steps, MANAGE CHANNEL close
        rig.Log.WaitFor("[acme] script s1 step 2/2 9000 ok");
        lock (frames)
        {
            Assert.Contains(frames, f => f.Contains(AgentRig.GetIinCh1)); // platform SCP03 off: the sniffer sees the APDU
        }
    }

    [Theory]
    [MemberData(nameof(Brokers))]
    public void Script_DeliveredTwice_SameStoredResultAndNoApdu(string kind)
    {
        using var rig = new AgentRig();
        using var broker = new TestBroker(kind);
        rig.Start(rig.Options(broker.Address));
        var client = rig.Connect(broker.Address);
        byte[] request = AgentRig.Script("acme", 1, "dup", AgentRig.AcmeSd, AgentRig.Iin(1));

        client.Send(request);
        byte[] first = client.NextRaw();
        int apdus = rig.Se.Count;
        client.Send(request);
        byte[] second = client.NextRaw();

        Assert.Equal(Hex.Of(first), Hex.Of(second));
        Assert.Equal(apdus, rig.Se.Count);
    }

    [Theory]
    [MemberData(nameof(Brokers))]
    public void AgentRestart_MidScript_ReportsInterruptedWithExactSteps(string kind)
    {
        using var rig = new AgentRig();
        using var broker = new TestBroker(kind);
        var first = rig.Start(rig.Options(broker.Address));
        var client = rig.Connect(broker.Address);
        rig.Se.CrashAt = 5; // channel, SELECT, steps 0 and 1 answered, step 2 run by the card but never recorded
        byte[] request = AgentRig.Script("acme", 1, "cut", AgentRig.AcmeSd, AgentRig.Iin(5));

        client.Send(request);
        rig.Log.WaitFor("agent error");
        first.Dispose();
        rig.Se.CrashAt = -1;
        rig.Start(rig.Options(broker.Address));
        ScriptResult report = client.Next();

        Assert.Equal(ScriptOutcome.Interrupted, report.Outcome);
        Assert.Equal(2, report.FailedStep);
        Assert.Equal(5, report.StepCount);
        Assert.Equal(
            ["0 Passed 9000", "1 Passed 9000", "2 SentUnknown 0000"],
            report.Steps.Select(s => $"{s.Index} {s.Outcome} {s.Sw:X4}"));
        int apdus = rig.Se.Count;
        client.Send(request);
        Assert.Equal(ScriptOutcome.Interrupted, client.Next().Outcome);
        Assert.Equal(apdus, rig.Se.Count);
    }

    [Theory]
    [MemberData(nameof(Brokers))]
    public void BrokerRestart_MidScript_ResultDeliveredAfterReconnect(string kind)
    {
        using var rig = new AgentRig();
        using var broker = new TestBroker(kind);
        rig.Start(rig.Options(broker.Address));
        var client = rig.Connect(broker.Address);
        rig.Se.HoldAt = 4; // step 1 waits until the broker is gone

        client.Send(AgentRig.Script("acme", 1, "br", AgentRig.AcmeSd, AgentRig.Iin(3)));
        Assert.True(rig.Se.Held.Wait(AgentRig.Wait), "the script did not reach step 1");
        broker.Stop();
        rig.Log.WaitFor("lost, reconnecting");
        rig.Se.Release.Set();
        rig.Log.WaitFor("[acme] script br completed");
        broker.Start();
        client.Connect();
        ScriptResult result = client.Next();

        Assert.Equal(ScriptOutcome.Completed, result.Outcome);
        Assert.Equal(3, result.Steps.Length);
    }

    [Theory]
    [MemberData(nameof(Brokers))]
    public void RetainedRequest_RunsOnce_NotAgainWhenTheAgentRestarts(string kind)
    {
        using var rig = new AgentRig();
        using var broker = new TestBroker(kind);
        var first = rig.Start(rig.Options(broker.Address));
        var client = rig.Connect(broker.Address);

        client.SendRetained(AgentRig.Script("acme", 1, "kept", AgentRig.AcmeSd, AgentRig.Iin(1)));
        Assert.Equal(ScriptOutcome.Completed, client.Next().Outcome);
        int apdus = rig.Se.Count;
        first.Dispose();
        var second = rig.Start(rig.Options(broker.Address)); // subscribes again: the broker hands over the retained copy
        rig.Log.WaitFor("[acme] retained copy of a request ignored");

        Assert.True(client.Quiet(TimeSpan.FromSeconds(2)), "the retained request was answered again");
        Assert.Equal(apdus, rig.Se.Count);
        Assert.Equal(0, second.Faults);
    }

    [Theory]
    [MemberData(nameof(Brokers))]
    public void Requests_Refused_BeforeAnyApdu(string kind)
    {
        using var rig = new AgentRig();
        using var broker = new TestBroker(kind);
        rig.Start(rig.Options(broker.Address));
        var acme = rig.Connect(broker.Address);
        var eve = rig.Connect(broker.Address, "eve");

        acme.Send([0x01, 0xE1, 0x03, 0x80, 0x01]);
        Assert.Equal(RejectReason.Malformed, acme.Next().Reason);

        eve.Send(AgentRig.Script("eve", 1, "e1", AgentRig.AcmeSd, AgentRig.Iin(1)));
        Assert.Equal(RejectReason.UnknownTenant, eve.Next().Reason);
        rig.Log.WaitFor("security device=dev1 tenant=eve event=request refused=\"script 6531\" why=\"unknown tenant: not in the registry\"");

        // SELECT of beta's SD on acme's channel (docs/protocol.md §4.2).
        acme.Send(AgentRig.Script("acme", 2, "sel", AgentRig.AcmeSd, AgentRig.Step("01A4040008" + AgentRig.BetaSd + "00")));
        Assert.Equal(RejectReason.ForbiddenSelect, acme.Next().Reason);

        // 400 steps of 12 encoded bytes are over acme's 4096-byte limit.
        acme.Send(AgentRig.Script("acme", 3, "big", AgentRig.AcmeSd, AgentRig.Iin(400)));
        Assert.Equal(RejectReason.TooLarge, acme.Next().Reason);

        Assert.Equal(0, rig.Se.Count);
    }

    [Theory]
    [MemberData(nameof(Brokers))]
    public void PlatformScp_On_ScriptWorksAndBusCarriesNoPlaintext(string kind)
    {
        using var rig = new AgentRig();
        using var broker = new TestBroker(kind);
        var host = rig.Start(rig.Options(broker.Address, platformScp: true));
        Assert.True(host.PlatformScp!.IsOpen);
        var hostFrames = new List<string>();
        var seFrames = new List<string>();
        host.Se.Virtual!.Target.HostFrame += f => { lock (hostFrames) { hostFrames.Add(Hex.Of(f)); } };
        host.Se.Virtual!.Target.SeFrame += f => { lock (seFrames) { seFrames.Add(Hex.Of(f)); } };
        var client = rig.Connect(broker.Address);

        client.Send(AgentRig.Script("acme", 1, "scp", AgentRig.AcmeSd, AgentRig.Iin(2)));
        ScriptResult result = client.Next();

        Assert.Equal(ScriptOutcome.Completed, result.Outcome);
        Assert.All(result.Steps, s => Assert.Equal("42046E616E6F", Hex.Of(s.Data)));
        lock (hostFrames)
        {
            Assert.NotEmpty(hostFrames);
            // GP Amd D §6.2.6-§6.2.7: C-DECRYPTION covers the data field and the header is only MACed, so the sniffer sees
            // CLA '85' INS 'CA' with a MAC but neither the plain APDU '81CA004200' nor the SD AID of the SELECT.
            Assert.DoesNotContain(hostFrames, f => f.Contains(AgentRig.GetIinCh1) || f.Contains(AgentRig.AcmeSd));
        }

        lock (seFrames)
        {
            Assert.DoesNotContain(seFrames, f => f.Contains("6E616E6F"));
        }
    }
}

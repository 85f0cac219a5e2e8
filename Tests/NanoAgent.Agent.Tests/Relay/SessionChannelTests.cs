using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Tenants;
using NanoAgent.Agent.Tests.Fakes;
using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.State;
using static NanoAgent.Agent.Tests.Fakes.RelayRig;

namespace NanoAgent.Agent.Tests.Relay;

/// <summary>
/// docs/protocol.md §4.3: logical channels are taken per session from <see cref="RelayOptions.SessionChannels"/>; when all
/// are held the next sessions wait first come, first served, for at most <see cref="RelayOptions.ChannelWaitMilliseconds"/>,
/// and a request that cannot wait is refused "no free channel", having consumed nothing.
/// </summary>
public class SessionChannelTests
{
    private static RelayRig OneChannel(int maxWaiting = 16) =>
        new(options: new RelayOptions { SessionChannels = [1], ChannelWaitMilliseconds = 5000, MaxWaitingRequests = maxWaiting });

    private static int ChannelOf(byte[] command) => NanoAgent.Drivers.Apdu.LogicalChannel.Of(command[0]);

    [Fact]
    public void Submit_AllChannelsHeld_WaitsThenRunsWhenTheSessionEnds()
    {
        var rig = OneChannel();
        rig.Relay.Submit("acme", Script("acme", 1, "a", AcmeSd));
        int commands = rig.Transport.Commands;

        rig.Relay.Submit("beta", Script("beta", 1, "b", BetaSd, Step(GetIinCh1)));

        Assert.Empty(rig.Listener.Results); // no answer yet: it waits
        Assert.Equal((1, commands, 0UL), (rig.Relay.WaitingCount, rig.Transport.Commands, rig.Store.GetCounter("beta")));

        rig.Relay.Forward("acme", Apdu("acme", "a", 1, null, end: true));

        Assert.Equal(("acme", ScriptOutcome.Completed), (rig.Listener.Results[0].Tenant, rig.Listener.Results[0].Result.Outcome));
        Assert.Equal(("beta", ScriptOutcome.Completed), (rig.Listener.Results[1].Tenant, rig.Listener.Results[1].Result.Outcome));
        Assert.Equal((0, 1UL), (rig.Relay.WaitingCount, rig.Store.GetCounter("beta")));

        // beta ran on the channel acme gave back.
        Assert.Equal(["00700001", "01A4040008" + BetaSd + "00", "81CA004200", "00708001"], rig.Transport.Log.Skip(commands + 1).Select(Hex.Of));
    }

    [Fact]
    public void Waiting_FirstComeFirstServed_ANewcomerQueuesBehind()
    {
        var rig = OneChannel();
        rig.Relay.Submit("acme", Script("acme", 1, "a", AcmeSd));
        rig.Relay.Submit("beta", Script("beta", 1, "b", BetaSd));           // waits first (interactive)
        rig.Relay.Submit("gamma", Script("gamma", 1, "g", GammaSd, Step(GetIinCh1))); // waits second

        rig.Relay.Forward("acme", Apdu("acme", "a", 1, null, end: true));

        // beta's session got the channel; gamma still waits behind it, and so does acme's next request.
        Assert.Equal((0, RejectReason.None), (rig.Listener.LastResponse.Sequence, rig.Listener.LastResponse.Reason));
        rig.Relay.Submit("acme", Script("acme", 2, "a2", AcmeSd, Step(GetIinCh1)));
        Assert.Equal(2, rig.Relay.WaitingCount);

        rig.Relay.Forward("beta", Apdu("beta", "b", 1, null, end: true));

        Assert.Equal(["acme", "beta", "gamma", "acme"], rig.Listener.Results.Select(r => r.Tenant));
        Assert.All(rig.Listener.Results, r => Assert.Equal(ScriptOutcome.Completed, r.Result.Outcome));
    }

    [Fact]
    public void Waiting_LongerThanTheLimit_RefusedNoFreeChannel_NothingConsumed()
    {
        var rig = OneChannel();
        rig.Relay.Submit("acme", Script("acme", 1, "a", AcmeSd));
        rig.Relay.Submit("beta", Script("beta", 1, "b", BetaSd, Step(GetIinCh1)));

        rig.Clock.Sleep(4999);
        rig.Relay.ExpireIdleSessions();
        Assert.Empty(rig.Listener.Results);
        rig.Clock.Sleep(1);
        rig.Relay.ExpireIdleSessions();

        Assert.Equal(("beta", RejectReason.NoFreeChannel), (rig.Listener.LastResultTenant(), rig.Listener.LastResult.Reason));
        Assert.Equal((0UL, 0), (rig.Store.GetCounter("beta"), rig.Relay.WaitingCount));

        // Nothing was consumed: the same counter runs once a channel is free.
        rig.Relay.Forward("acme", Apdu("acme", "a", 1, null, end: true));
        rig.Relay.Submit("beta", Script("beta", 1, "b2", BetaSd, Step(GetIinCh1)));
        Assert.Equal(ScriptOutcome.Completed, rig.Listener.LastResult.Outcome);
    }

    [Fact]
    public void Waiting_QueueFull_RefusedAtOnce()
    {
        var rig = OneChannel(maxWaiting: 1);
        rig.Relay.Submit("acme", Script("acme", 1, "a", AcmeSd));
        rig.Relay.Submit("beta", Script("beta", 1, "b", BetaSd, Step(GetIinCh1)));

        rig.Relay.Submit("gamma", Script("gamma", 1, "g", GammaSd, Step(GetIinCh1)));

        Assert.Equal(("gamma", RejectReason.NoFreeChannel), (rig.Listener.LastResultTenant(), rig.Listener.LastResult.Reason));
        Assert.Equal(0UL, rig.Store.GetCounter("gamma"));
    }

    [Fact]
    public void Waiting_ResentRequest_NotQueuedTwice_AnsweredOnceWhenItRuns()
    {
        var rig = OneChannel();
        rig.Relay.Submit("acme", Script("acme", 1, "a", AcmeSd));
        ScriptRequest waiting = Script("beta", 1, "b", BetaSd, Step(GetIinCh1));
        rig.Relay.Submit("beta", waiting);

        rig.Relay.Submit("beta", Script("beta", 1, "b", BetaSd, Step(GetIinCh1))); // the sender's re-send, same bytes
        Assert.Equal((1, 0), (rig.Relay.WaitingCount, rig.Listener.Results.Count));

        rig.Relay.Forward("acme", Apdu("acme", "a", 1, null, end: true));
        Assert.Single(rig.Listener.Results, r => r.Tenant == "beta");
    }

    [Fact]
    public void Waiting_CheckedAgainWhenItsTurnComes_BusyWhenTheTenantsOwnSessionGotThereFirst()
    {
        var rig = OneChannel();
        rig.Relay.Submit("acme", Script("acme", 1, "a", AcmeSd));
        rig.Relay.Submit("beta", Script("beta", 1, "b1", BetaSd));                      // beta's session waits
        rig.Relay.Submit("beta", Script("beta", 2, "b2", BetaSd, Step(GetIinCh1)));      // and its batch behind it

        rig.Relay.Forward("acme", Apdu("acme", "a", 1, null, end: true));
        Assert.Equal(0, rig.Listener.LastResponse.Sequence); // beta's session opened; its batch still waits for the channel
        rig.Relay.Forward("beta", Apdu("beta", "b1", 1, null, end: true));

        Assert.Equal(ScriptOutcome.Completed, rig.Listener.LastResult.Outcome); // then the batch ran, counter 2 after 1
        Assert.Equal(2UL, rig.Store.GetCounter("beta"));
    }

    [Fact]
    public void SixteenTenants_SixteenSessionsAtOnce_EachOnAChannelOfItsOwn()
    {
        // The virtual card opens 19 supplementary channels; the relay keeps one for the verifier (default 1-18).
        RelayRig rig = Sixteen(out string[] ids, out string[] sds);
        for (int i = 0; i < 16; i++)
        {
            rig.Relay.Submit(ids[i], Script(ids[i], 1, "s" + i, sds[i]));
            Assert.Equal((0, RejectReason.None), (rig.Listener.LastResponse.Sequence, rig.Listener.LastResponse.Reason));
        }

        Assert.Equal((16, 0), (rig.Relay.OpenSessionCount, rig.Relay.WaitingCount));
        int before = rig.Transport.Commands;
        for (int i = 0; i < 16; i++)
        {
            // Every tenant writes for the basic channel; each GET DATA lands on that tenant's own channel.
            rig.Relay.Forward(ids[i], Apdu(ids[i], "s" + i, 1, "80CA004200"));
            Assert.Equal("42046E616E6F9000", Hex.Of(rig.Listener.LastResponse.Response!));
        }

        int[] channels = rig.Transport.Log.Skip(before).Select(ChannelOf).ToArray();
        Assert.Equal(Enumerable.Range(1, 16), channels);
        for (int i = 0; i < 16; i++)
        {
            rig.Relay.Forward(ids[i], Apdu(ids[i], "s" + i, 2, null, end: true));
        }

        Assert.Equal(16, rig.Listener.Results.Count(r => r.Result.Outcome == ScriptOutcome.Completed));
        Assert.Equal(0, rig.Relay.OpenSessionCount);
    }

    [Fact]
    public void SixteenTenants_OnACardOfThreeChannels_EveryOneServedInTurn()
    {
        RelayRig rig = Sixteen(out string[] ids, out string[] sds, channels: 4);
        rig.Options.SessionChannels = ChannelProbe.SessionChannels(ChannelProbe.OpenableChannels(rig.Transport), 19);
        rig.NewRelay();
        Assert.Equal([1, 2], rig.Options.SessionChannels);

        for (int i = 0; i < 16; i++)
        {
            rig.Relay.Submit(ids[i], Script(ids[i], 1, "s" + i, sds[i]));
        }

        Assert.Equal((2, 14), (rig.Relay.OpenSessionCount, rig.Relay.WaitingCount));
        for (int round = 0; round < 16; round++)
        {
            // The sessions that hold channels end; the next in line open in arrival order.
            string id = rig.Listener.Responses.Where(r => r.Response.Sequence == 0).ElementAt(round).Tenant;
            Assert.Equal(ids[round], id);
            rig.Relay.Forward(id, Apdu(id, "s" + round, 1, null, end: true));
        }

        Assert.Equal(16, rig.Listener.Results.Count(r => r.Result.Outcome == ScriptOutcome.Completed));
    }

    private static RelayRig Sixteen(out string[] ids, out string[] sds, int channels = 20)
    {
        ids = Enumerable.Range(0, 16).Select(i => $"t{i:D2}").ToArray();
        sds = Enumerable.Range(0, 16).Select(i => $"F06E616E6F5345{i:X2}").ToArray();
        var rig = new RelayRig(options: new RelayOptions { MaxWaitingRequests = 16 }, cardOptions: new CardManagerOptions { LogicalChannels = channels });
        for (int i = 0; i < 16; i++)
        {
            rig.Card.State.Entries.Add(new RegistryEntry
            {
                Aid = Hex.Parse(sds[i]), Kind = RegistryEntryKind.SecurityDomain, LifeCycle = EntryLifeCycle.Personalized, Privileges = [0x80, 0x00, 0x00],
                AssociatedSecurityDomain = CardState.DefaultIsdAid.ToArray(), Domain = new SecurityDomainData { KeySets = [RequestKeySet(ids[i])] },
            });
            rig.Tenants.Add(new Tenant(ids[i], Hex.Parse(sds[i]), 4096));
        }

        return rig;
    }
}

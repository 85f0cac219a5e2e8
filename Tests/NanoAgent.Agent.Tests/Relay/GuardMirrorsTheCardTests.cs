using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Tests.Fakes;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Scp03;
using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.State;
using static NanoAgent.Agent.Tests.Fakes.RelayRig;

namespace NanoAgent.Agent.Tests.Relay;

/// <summary>
/// The EXTERNAL AUTHENTICATE guard against the virtual card's own count (docs/protocol.md §4.5, issue "a guard reset leaves
/// no margin"): acme's SD holds a real SCP03 key set; each attempt is an interactive session through the relay whose
/// INITIALIZE UPDATE the card answers and whose EXTERNAL AUTHENTICATE is right (the keys) or wrong (a forged cryptogram).
/// Resets come between failures; the card never reaches its blocking count, and one success clears both counts.
/// </summary>
public class GuardMirrorsTheCardTests
{
    private static readonly byte[] Key = Hex.Parse("00112233445566778899AABBCCDDEEFF");

    private sealed class Rig
    {
        private readonly RelayRig _rig;
        private ulong _counter;

        public Rig(int cardLimit, RelayOptions options)
        {
            _rig = new RelayRig(options: options, cardOptions: new CardManagerOptions { MaxFailedAuthentications = cardLimit });
            KeySet = KeySetRecord.Create(0x30, Key, Key, Key);
            _rig.Card.State.Entries.Find(e => Hex.Of(e.Aid) == AcmeSd)!.Domain!.KeySets.Add(KeySet);
        }

        public KeySetRecord KeySet { get; }

        public int RelayFailures => AuthGuardState.Failures(_rig.Store.GetAuthFailures("acme"));

        /// <summary>One attempt; returns "withheld", "9000" or the card's answer to the forged EXTERNAL AUTHENTICATE.</summary>
        public string Attempt(bool rightKeys)
        {
            string id = "a" + (++_counter);
            _rig.Relay.Submit("acme", Script("acme", _counter, id, AcmeSd));
            Assert.Equal(RejectReason.None, _rig.Listener.LastResponse.Reason);
            var host = new Scp03HostSession(Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, 0x30, rightKeys ? Key : new byte[16]), 8);
            byte[] apdu = new byte[64];
            int n = host.BuildInitializeUpdate(new byte[8], 0, apdu, 0);
            _rig.Relay.Forward("acme", Apdu("acme", id, 1, Hex.Of(apdu, 0, n)));
            ApduResponse iu = _rig.Listener.LastResponse;
            if (iu.Reason == RejectReason.AuthLockout)
            {
                // A refused APDU does not use up its sequence number (docs/protocol.md §5): the session ends with 1.
                _rig.Relay.Forward("acme", Apdu("acme", id, 1, null, end: true));
                Assert.Equal(ScriptOutcome.Completed, _rig.Listener.LastResult.Outcome);
                return "withheld";
            }

            string ea;
            if (rightKeys)
            {
                host.ProcessInitializeUpdateResponse(iu.Response!, 0, iu.Response!.Length);
                n = host.BuildExternalAuthenticate(0x33, apdu, 0);
                ea = Hex.Of(apdu, 0, n);
            }
            else
            {
                ea = "8482330010" + new string('A', 32);
            }

            _rig.Relay.Forward("acme", Apdu("acme", id, 2, ea));
            string answer = Hex.Of(_rig.Listener.LastResponse.Response!);
            _rig.Relay.Forward("acme", Apdu("acme", id, 3, null, end: true));
            Assert.Equal(ScriptOutcome.Completed, _rig.Listener.LastResult.Outcome);
            return answer;
        }

        public void Reset()
        {
            ++_counter;
            _rig.Relay.Submit("acme", ScriptMessageCodec.DecodeScriptRequest(Signer("acme").Sign(new ScriptRequest
            {
                ScriptId = System.Text.Encoding.ASCII.GetBytes("r" + _counter), TenantId = "acme", Counter = _counter, TargetAid = Hex.Parse(AcmeSd),
                Mode = ScriptMode.Batch, ResetAuthGuard = true, Steps = [Step(GetIinCh1)],
            })));
            Assert.Equal(ScriptOutcome.Completed, _rig.Listener.LastResult.Outcome);
        }
    }

    [Fact]
    public void FailFailResetFailReset_Defaults_CardNeverReachesItsBlockingCount()
    {
        // The card blocks at 3 (the virtual SE's default); the relay trips at 1 and a reset grants one attempt at a time.
        var rig = new Rig(3, new RelayOptions());
        var seen = new List<string> { rig.Attempt(false), rig.Attempt(false) };
        for (int i = 0; i < 4; i++)
        {
            rig.Reset();
            seen.Add(rig.Attempt(false));
        }

        Assert.Equal(["6300", "withheld", "6300", "withheld", "withheld", "withheld"], seen);
        Assert.Equal((2, 2, false), (rig.KeySet.FailedAuthentications, rig.RelayFailures, rig.KeySet.Blocked));

        // Even the right keys get no attempt now: one more failure would block the key set for good.
        rig.Reset();
        Assert.Equal("withheld", rig.Attempt(true));
    }

    [Fact]
    public void FailResetSuccess_Defaults_ClearsBothCounts_AndAttemptsAreFreeAgain()
    {
        var rig = new Rig(3, new RelayOptions());
        Assert.Equal("6300", rig.Attempt(false));
        rig.Reset();

        Assert.Equal("9000", rig.Attempt(true));
        Assert.Equal((0, 0), (rig.KeySet.FailedAuthentications, rig.RelayFailures));
        Assert.Equal("6300", rig.Attempt(false)); // free again: the count restarted from zero
    }

    [Fact]
    public void FailFailResetFailReset_CardOfFive_EveryResetGrantsOneAttempt_StopsOneShortOfTheBlock_SuccessClearsEverything()
    {
        // A card that blocks at 5, the relay told so, tripping after 2: resets grant attempts 3 and 4, never a 5th.
        var rig = new Rig(5, new RelayOptions { AuthFailureLimit = 2, CardAuthFailureLimit = 5 });
        var seen = new List<string> { rig.Attempt(false), rig.Attempt(false), rig.Attempt(false) };
        for (int i = 0; i < 3; i++)
        {
            rig.Reset();
            seen.Add(rig.Attempt(false));
        }

        Assert.Equal(["6300", "6300", "withheld", "6300", "6300", "withheld"], seen);
        Assert.Equal((4, 4, false), (rig.KeySet.FailedAuthentications, rig.RelayFailures, rig.KeySet.Blocked));

        var recovering = new Rig(5, new RelayOptions { AuthFailureLimit = 2, CardAuthFailureLimit = 5 });
        recovering.Attempt(false);
        recovering.Attempt(false);
        recovering.Reset();
        recovering.Attempt(false);
        recovering.Reset();
        Assert.Equal("9000", recovering.Attempt(true));
        Assert.Equal((0, 0), (recovering.KeySet.FailedAuthentications, recovering.RelayFailures));
    }
}

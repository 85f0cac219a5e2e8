using System.Text.Json;
using NanoAgent.Drivers.Se05x;
using NanoAgent.VirtualSe.Se05x.State;

namespace NanoAgent.VirtualSe.Tests.Se05x;

/// <summary>
/// A power cut at every NVM commit of a scenario, before, during (torn) and after the write: the card answers nothing,
/// restarts from its state file, and holds the state from just before the command or just after it, never a mix; the
/// counter never goes down. The card commits each command whole (JCOP applet transaction semantics).
/// </summary>
public class Se05xPowerCutTests
{
    private const uint Counter = 0x30000001;
    private const uint MacKey = 0x10000001;
    private const uint File = 0x40000001;
    private const uint User = 0x7DA00002;

    public static TheoryData<Se05xPowerCut> Modes => [Se05xPowerCut.BeforeWrite, Se05xPowerCut.TornWrite, Se05xPowerCut.AfterWrite];

    [Theory]
    [MemberData(nameof(Modes))]
    public void EveryCommit_CutLeavesBeforeOrAfterAndCounterNeverDown(Se05xPowerCut mode)
    {
        List<byte[]> steps = Scenario();
        List<string> reference = Run(steps, cutAt: 0, mode, out _);
        int commits = reference.Count - 1;
        Assert.True(commits >= steps.Count - 1, "every step of the scenario commits");
        int struckCount = 0;
        for (int cut = 1; cut <= commits; cut++)
        {
            Run(steps, cut, mode, out (int Step, string Before, string After)? struck);
            Assert.True(struck is not null, $"cut {cut} did not strike");
            (int Step, string Before, string After) s = struck!.Value;
            struckCount++;

            string expected = mode == Se05xPowerCut.AfterWrite ? reference[s.Step + 1] : reference[s.Step];
            Assert.True(s.After == expected, $"cut {cut} ({mode}) at step {s.Step}: the card restarted with neither the state before nor after");
        }

        Assert.Equal(commits, struckCount);
    }

    // Runs the steps on a fresh card file; with cutAt > 0 arms a cut at that commit, reboots after it and goes on.
    // Returns the object states after each step (index 0: before the first).
    private static List<string> Run(List<byte[]> steps, int cutAt, Se05xPowerCut mode, out (int Step, string Before, string After)? struck)
    {
        struck = null;
        string dir = Directory.CreateTempSubdirectory().FullName;
        try
        {
            var rig = new Se05xRig(path: Path.Combine(dir, "se.se05x.json"));
            rig.Store.Faults.CutAtCommit = cutAt;
            rig.Store.Faults.Where = mode;
            var states = new List<string> { Objects(rig) };
            ulong lastCounter = 0;
            for (int i = 0; i < steps.Count; i++)
            {
                string before = Objects(rig);
                Se05xRig.Reply r = rig.Send(steps[i], steps[i].Length);
                if (r.Sw == 0)
                {
                    rig.Reboot();
                    struck = (i, before, Objects(rig));
                    r = rig.Send(steps[i], steps[i].Length); // the host tries again once the SE is back
                }

                ulong value = CounterValue(rig);
                Assert.True(value >= lastCounter, "the counter went down");
                lastCounter = value;
                states.Add(Objects(rig));
            }

            return states;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static List<byte[]> Scenario()
    {
        var objects = new Se05xObjectCommands();
        var auth = new Se05xAuthObjectCommands();
        var buffer = new byte[1100];
        var steps = new List<byte[]>();
        void Add(int n) => steps.Add(buffer[..n]);
        Add(objects.CreateCounter(Counter, 4, 10, null!, 0, 0, buffer, 0));
        Add(objects.IncrementCounter(Counter, buffer, 0));
        Add(objects.IncrementCounter(Counter, buffer, 0));
        Add(objects.SetCounter(Counter, 4, 100, buffer, 0));
        Add(objects.WriteSymmKey(Se05xSymmetricKeyType.Hmac, MacKey, new byte[32], 0, 32, null!, 0, 0, buffer, 0));
        Add(objects.WriteSymmKey(Se05xSymmetricKeyType.Hmac, MacKey, Enumerable.Repeat((byte)7, 32).ToArray(), 0, 32, null!, 0, 0, buffer, 0));
        steps.Add(Hex.Parse("80010600 0E 410440000001 43020040 44020102")); // WriteBinary: a 64-byte file starting 01 02
        Add(auth.WriteUserId(User, "C0FFEE01"u8.ToArray(), 0, 8, 5, null!, 0, 0, buffer, 0));
        Add(objects.IncrementCounter(Counter, buffer, 0));
        Add(objects.DeleteSecureObject(MacKey, buffer, 0));
        Add(objects.IncrementCounter(Counter, buffer, 0));
        return steps;
    }

    // The objects a command can change (the unique id file differs from card to card and never changes).
    private static string Objects(Se05xRig rig) =>
        JsonSerializer.Serialize(rig.Card.Snapshot().Objects.Where(o => o.Origin != Se05xObject.OriginProvisioned));

    private static ulong CounterValue(Se05xRig rig)
    {
        byte[] value = rig.Card.Snapshot().Find(Counter)?.Value ?? [];
        ulong v = 0;
        foreach (byte b in value)
        {
            v = (v << 8) | b;
        }

        return v;
    }
}

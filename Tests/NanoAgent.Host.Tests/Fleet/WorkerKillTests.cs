using NanoAgent.Fleet;
using NanoAgent.Fleet.Store;
using NanoAgent.Host.Fleet;
using Xunit.Abstractions;

namespace NanoAgent.Host.Tests.Fleet;

/// <summary>
/// Two real <c>nanoagent backend campaign run</c> processes on one PostgreSQL database, killed with SIGKILL 20 times at
/// random points (and started again) during a campaign over 200 simulated devices: every device ends succeeded, once,
/// and its SE ran the script's commands exactly once.
/// </summary>
[Collection(FleetCollection.Name)]
public class WorkerKillTests(FleetDatabases databases, ITestOutputHelper log)
{
    [Fact]
    public void KilledWorkers_TakenOver_EveryDeviceAppliedExactlyOnce()
    {
        // Each SE command takes 40 ms, as on a real chip, so a device takes over a second and, 6 at a time, the campaign
        // about a minute: long enough for 20 kills, ~1.4 s apart, to land while devices are in flight.
        using var rig = new FleetRig(200, seLatency: TimeSpan.FromMilliseconds(40));
        string db = databases.NewSpec("postgres");
        var rules = new RolloutRules { MaxInFlight = 6, Lease = TimeSpan.FromSeconds(2), DeviceTimeout = TimeSpan.FromSeconds(60), AbortPercent = 100 };
        CampaignStore store = rig.Create(db, "kill", rig.Ids, rules);
        var random = new Random(22);
        var workers = new ChildProcess?[2];
        ChildProcess Start() => ChildProcess.Start("backend", "campaign", "run", "kill", "--db", db, "--keys", rig.KeysPath,
            "--request-key", rig.RequestKeyPath, "--broker", rig.BrokerUrl, "--parallel", "3", "--progress-every", "60");
        int kills = 0;
        try
        {
            workers[0] = Start();
            workers[1] = Start();
            while (kills < 20)
            {
                Thread.Sleep(random.Next(300, 2500));
                int i = random.Next(2);
                Assert.False(workers[i]!.HasExited, "a worker ended before the 20 kills: the campaign went too fast\n" + workers[i]!.Output);
                workers[i]!.Dispose(); // SIGKILL
                kills++;
                workers[i] = Start();
            }

            CampaignRecord during = store.Get("kill");
            log.WriteLine($"after {kills} kills: {during.FinishedCount} of 200 finished");
            Assert.True(during.FinishedCount < 200, "the campaign finished before the last kill");
            foreach (ChildProcess? w in workers)
            {
                Assert.True(w!.WaitForExit(TimeSpan.FromMinutes(3)), "a worker did not finish:\n" + w.Output);
            }
        }
        finally
        {
            foreach (ChildProcess? w in workers)
            {
                w?.Dispose();
            }
        }

        Dictionary<DeviceState, long> counts = store.CountByState("kill");
        Assert.Equal(200, counts[DeviceState.Succeeded]);
        Assert.Equal(CampaignState.Finished, store.Get("kill").State);
        int resent = 0, takenOver = 0;
        foreach (string id in rig.Ids)
        {
            Assert.Equal(9, rig.StoreDataCount(id)); // the 9 STORE DATA of the script reached this SE exactly once
            var events = store.Events("kill", id);
            Assert.Single(events, e => e.To == "succeeded");
            takenOver += events.Count(e => e.Detail?.StartsWith("taken over", StringComparison.Ordinal) == true);
            resent += store.Devices("kill", id).Single().Sends > 1 ? 1 : 0;
        }

        log.WriteLine($"{takenOver} take-overs, {resent} devices whose recorded request was sent again");
        Assert.True(takenOver > 0, "no device was taken over: the kills never hit a device in flight");
    }
}

using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Scp03;
using NanoAgent.VirtualSe.Platform;
using NanoAgent.VirtualSe.Se05x;
using NanoAgent.VirtualSe.Se05x.State;

namespace NanoAgent.VirtualSe.Tests.Se05x;

/// <summary>
/// Replays what NXP's middleware examples sent the virtual SE05x over jrcpv1 (Se05x/NxpTraces, each file's header names
/// the middleware version, its build and the examples) against a fresh virtual SE05x made as <c>nanoagent serve --card
/// se05x</c> makes it (platform keys, not required), with the recorded unique id and the card's random draws taken from
/// the recorded answers (<see cref="Se05xTraceRandom"/>). Every answer must be the recorded one byte for byte, except
/// the few marked <c>&lt;~</c> (key generation and ECDSA use the OS generator): those must have the recorded status word.
/// </summary>
public class Se05xNxpTraceTests
{
    public static TheoryData<string> Traces()
    {
        var names = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(Se05xNxpTrace.Folder, "*.trace").Order(StringComparer.Ordinal))
        {
            names.Add(Path.GetFileName(path));
        }

        return names;
    }

    [Fact]
    public void Traces_AllEightConfigurationsPresent()
    {
        Assert.Equal(8, Traces().Count);
    }

    [Theory]
    [MemberData(nameof(Traces))]
    public void Replay_EveryAnswerAsRecorded(string name)
    {
        Se05xNxpTrace trace = Se05xNxpTrace.Load(name);
        string dir = Directory.CreateTempSubdirectory("nxptrace-").FullName;
        try
        {
            var random = new Se05xTraceRandom();
            PlatformScpGate gate = Card(trace, Path.Combine(dir, "se.json"), random);
            var differences = new List<string>();
            var response = new byte[70000];
            foreach (Se05xNxpTrace.Exchange x in trace.Exchanges)
            {
                random.Expect(x.Command, x.Response);
                int n = gate.Process(x.Command, response);
                string got = Hex.Of(response, 0, n), want = Hex.Of(x.Response);
                bool same = x.StatusOnly ? n >= 2 && got[^4..] == want[^4..] : got == want;
                if (!same)
                {
                    differences.Add($"line {x.Line}: got {got}, recorded {want}");
                }
            }

            Assert.True(differences.Count == 0, name + ":\n" + string.Join('\n', differences));
            Assert.Equal(0, random.UnfedDraws);
            Assert.True(trace.Exchanges.Count > 50, name + " holds " + trace.Exchanges.Count + " exchanges");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // As SeConnection.CreateVirtual makes the CLI's SE05x: its platform keys, platform SCP not required.
    private static PlatformScpGate Card(Se05xNxpTrace trace, string statePath, Se05xTraceRandom random)
    {
        Se05xStateStore store = Se05xStateStore.ForFile(Se05xStateStore.FileFor(statePath), trace.AppletMajor);
        Se05xState state = store.Load();
        state.Find(Se05xState.UniqueIdObject)!.Value = trace.UniqueId;
        store.Save(state);

        var keys = new Scp03StaticKeys(BouncyCastleAesFactory.Instance, trace.KeyVersion, trace.Enc, trace.Mac, trace.Dek);
        VirtualSecureElement se = VirtualSecureElement.Create(
            VirtualSeCard.Se05x, VirtualSeProtocol.Se05xI2c, statePath,
            platformScp: new PlatformScpOptions { Keys = keys, RequirePlatformScp = false },
            se05x: new Se05xCardOptions { AppletMajor = trace.AppletMajor, Random = random.Fill });
        return se.PlatformGate!;
    }
}

using System.Diagnostics;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Relay;
using NanoAgent.Agent.Service;
using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.T1;
using NanoAgent.Host.Mqtt;
using NanoAgent.VirtualSe;
using NanoAgent.VirtualSe.Bus;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.Host.Bench;

/// <summary>
/// Runs scripts through an <see cref="EmbeddedBroker"/> on loopback, an <see cref="AgentService"/> on an MQTTnet connection,
/// the <see cref="ScriptRelay"/> with a <see cref="DurableRelayStore"/> on RAM storage that counts its flash writes, and an
/// SE05x virtual SE (card manager, in memory), and the same APDUs straight over a second virtual SE's host transport in the
/// same run. Relayed scripts include the verification of their request MAC in the SE.
/// </summary>
public static class RelayBench
{
    private const string Device = "bench";
    private const string Tenant = "t1";
    private const byte RequestKeyVersion = 0x60;

    // GPC v2.3.1 §11.3 GET DATA, tag '42' (IIN), proprietary class on the basic channel.
    private static readonly byte[] GetIin = Convert.FromHexString("80CA004200");

    /// <summary>The script lengths the report shows side by side.</summary>
    public static readonly int[] DefaultSteps = [10, 100, 1000];

    /// <summary>Measures.</summary>
    /// <param name="steps">Steps per script.</param>
    /// <param name="scripts">Scripts measured after one warm-up script.</param>
    /// <param name="journal">True for the device's store (snapshot + journal), false for one that rewrites the whole state per change.</param>
    /// <returns>The figures.</returns>
    public static RelayFigures Measure(int steps, int scripts, bool journal = true)
    {
        string isd = Convert.ToHexString(CardState.DefaultIsdAid);
        TenantRegistry tenants = TenantRegistry.Parse($"{Tenant} {isd} 0 65535\n");
        VirtualSecureElement se = VirtualSecureElement.Create(VirtualSeProtocol.Se05xI2c);

        // The tenant's request key (docs/protocol.md §3.9) put straight into the ISD: every request is verified in the SE.
        byte[] requestKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);
        se.Card.State.Isd.Domain!.KeySets.Add(KeySetRecord.Create(RequestKeyVersion, requestKey, requestKey, requestKey));
        var signer = new RequestSigner(BouncyCastleAesFactory.Instance.CreateAes(requestKey, 0, 16), RequestKeyVersion, Device, Tenant);
        using ISeTransport transport = se.CreateHostTransport(new VirtualClock());
        transport.Open();
        var meter = new FlashWearMeter(4096);
        var snapshot = new TwoSlotRecordStorage(new WearCountingSlots(new MemoryRecordSlots(), meter));
        var store = new DurableRelayStore(snapshot, journal ? new WearCountingJournal(new MemoryJournalStorage(), meter) : null, 4, DurableRelayStore.DefaultJournalLimit);
        var relay = new ScriptRelay(tenants, store, transport, new VirtualClock(), new RelayOptions(), new SeRequestVerifier(transport, Device, 255));

        using var broker = new EmbeddedBroker();
        broker.Start();
        using var agentLink = new MqttNetConnection(broker.Address);
        using var backend = new MqttNetConnection(broker.Address);
        var service = new AgentService(agentLink, tenants, relay, Device);
        using var inbound = new SemaphoreSlim(0);
        using var results = new SemaphoreSlim(0);
        int passed = 0;
        agentLink.MessageReceived += (_, _) => inbound.Release();
        backend.MessageReceived += (_, m) =>
        {
            ScriptResult r = ReportMessageCodec.DecodeResult(m.Payload);
            foreach (StepResult s in r.Steps)
            {
                passed += s.Outcome == StepOutcome.Passed ? 1 : 0;
            }

            results.Release();
        };
        service.Start(new MqttConnectOptions { ClientId = "bench-agent", CleanSession = true });
        backend.Connect(new MqttConnectOptions { ClientId = "bench-backend", CleanSession = true });
        backend.Subscribe([AgentTopics.Response(Device, Tenant)], [MqttQos.AtLeastOnce]);

        double relayed = 0;
        for (int i = 0; i <= scripts; i++)
        {
            byte[] payload = signer.Sign(Script((uint)(i + 1), steps));
            long t0 = Stopwatch.GetTimestamp();
            backend.Publish(AgentTopics.Request(Device, Tenant), payload, MqttQos.AtLeastOnce, false);
            if (!inbound.Wait(TimeSpan.FromSeconds(10)))
            {
                throw new TimeoutException("The agent did not receive the script request.");
            }

            service.ProcessInbound();
            if (!results.Wait(TimeSpan.FromSeconds(10)))
            {
                throw new TimeoutException("The backend did not receive the script result.");
            }

            relayed += i == 0 ? 0 : Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            passed = i == 0 ? 0 : passed;
            if (i == 0)
            {
                meter.Clear();
            }
        }

        service.Stop();
        backend.Disconnect();
        double measuredSteps = (double)steps * scripts;
        return new RelayFigures(steps, journal ? "journal" : "rewrite", scripts, relayed / scripts, Direct(steps, scripts), passed,
            meter.BytesWritten / measuredSteps, meter.WriteOperations / measuredSteps);
    }

    // The same APDUs without MQTT or relay: SELECT the ISD, then the steps, on a fresh virtual SE.
    private static double Direct(int steps, int scripts)
    {
        VirtualSecureElement se = VirtualSecureElement.Create(VirtualSeProtocol.Se05xI2c);
        using ISeTransport transport = se.CreateHostTransport(new VirtualClock());
        transport.Open();
        var channel = new ApduChannel(transport);
        byte[] select = new byte[5 + CardState.DefaultIsdAid.Length + 1];
        int n = CommandApdu.Write(0x00, 0xA4, 0x04, 0x00, CardState.DefaultIsdAid, 0, CardState.DefaultIsdAid.Length, 256, ApduLengthForm.Short, select, 0);
        byte[] response = new byte[258];
        double total = 0;
        for (int i = 0; i <= scripts; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            channel.Transmit(select, 0, n, response, 0);
            for (int s = 0; s < steps; s++)
            {
                int r = channel.Transmit(GetIin, 0, GetIin.Length, response, 0);
                if (StatusWord.Read(response, 0, r) != StatusWord.Success)
                {
                    throw new InvalidOperationException("The virtual SE refused GET DATA.");
                }
            }

            total += i == 0 ? 0 : Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }

        return total / scripts;
    }

    private static ScriptRequest Script(uint counter, int steps)
    {
        var list = new ScriptStep[steps];
        for (int i = 0; i < steps; i++)
        {
            list[i] = new ScriptStep(GetIin, 0x9000, 0xFFFF, false, false);
        }

        return new ScriptRequest
        {
            ScriptId = System.Text.Encoding.ASCII.GetBytes("bench-" + counter),
            TenantId = Tenant,
            Counter = counter,
            TargetAid = CardState.DefaultIsdAid.ToArray(),
            Mode = ScriptMode.Batch,
            ProgressEvery = steps,
            Steps = list,
        };
    }
}

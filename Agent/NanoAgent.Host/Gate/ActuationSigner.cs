using NanoAgent.Agent.Gating;
using NanoAgent.Drivers.Crypto;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Tlv;

namespace NanoAgent.Host.Gate;

/// <summary>
/// The backend side of actuator commands for one tenant of one device: builds actuate requests '71' { body, counter, MAC }
/// MAC'd with the tenant's gate key (docs/gating.md), with its own command counter persisted before a request is
/// returned (so a crash never reuses a counter). Thread-safe.
/// </summary>
public sealed class ActuationSigner
{
    private readonly string _device;
    private readonly string _tenant;
    private readonly byte[] _aid;
    private readonly byte[] _macKey;
    private readonly GateCounterFile _counter;
    private readonly object _lock = new();
    private readonly GateCard _card;

    /// <summary>Creates a signer.</summary>
    /// <param name="device">The device id.</param>
    /// <param name="tenant">The tenant id.</param>
    /// <param name="gateAid">The tenant's gate instance AID.</param>
    /// <param name="macKey">The gate's AES-128 MAC key.</param>
    /// <param name="counterFile">Where the last command counter used is kept.</param>
    /// <param name="card">The card whose gate verifies the commands (MAC input order; on an SE05x the key is the command key).</param>
    public ActuationSigner(string device, string tenant, byte[] gateAid, byte[] macKey, GateCounterFile counterFile, GateCard card = GateCard.GateApplet)
    {
        _card = card;
        _device = device;
        _tenant = tenant;
        _aid = gateAid.ToArray();
        _macKey = macKey.ToArray();
        _counter = counterFile;
    }

    /// <summary>Builds the next request: takes the next counter, saves it, MACs and encodes.</summary>
    /// <param name="actuatorId">The actuator id.</param>
    /// <param name="command">The command bytes (for <see cref="RecordingRelay"/>: '00' open, '01' close).</param>
    /// <returns>The payload to publish on <c>nanoagent/{device}/{tenant}/actuate/req</c>.</returns>
    /// <exception cref="IOException">The counter file cannot be read or written.</exception>
    public byte[] Sign(string actuatorId, byte[] command)
    {
        ulong counter;
        lock (_lock)
        {
            counter = _counter.Read() + 1;
            _counter.Write(counter);
        }

        return Build(_device, _tenant, _aid, _macKey, counter, actuatorId, command, _card);
    }

    /// <summary>Builds a request with an explicit counter (tests, tools).</summary>
    /// <param name="device">Device id.</param>
    /// <param name="tenant">Tenant id.</param>
    /// <param name="gateAid">Gate AID.</param>
    /// <param name="macKey">MAC key.</param>
    /// <param name="counter">Command counter.</param>
    /// <param name="actuatorId">Actuator id.</param>
    /// <param name="command">Command bytes.</param>
    /// <param name="card">The card whose gate verifies it.</param>
    /// <returns>The payload.</returns>
    public static byte[] Build(string device, string tenant, byte[] gateAid, byte[] macKey, ulong counter, string actuatorId, byte[] command, GateCard card = GateCard.GateApplet)
    {
        byte[] body = new byte[256];
        var w = new BerTlvWriter(body, 0, body.Length);
        GateEnvelopeWriter.WriteBody(w, device, tenant, actuatorId, null, command);
        int bodyLength = w.Finish();
        byte[] input = new byte[GateMacInput.MaxLength];
        int n = GateMacInput.Build(card, GateMacInput.CommandLabel, gateAid, counter, body, 0, bodyLength, input, 0);
        byte[] mac = new byte[16];
        new AesCmac(BouncyCastleAesFactory.Instance.CreateAes(macKey, 0, macKey.Length)).Compute(input, 0, n, mac, 0);
        byte[] counterBytes = new byte[8];
        GateEnvelopeWriter.WriteCounter(counter, counterBytes, 0);

        byte[] output = new byte[bodyLength + 64];
        var e = new BerTlvWriter(output, 0, output.Length);
        e.BeginConstructed(GateEnvelope.RequestTemplate);
        var r = new BerTlvReader(body, 0, bodyLength);
        while (r.Read())
        {
            e.Write(r.Tag, body, r.ValueOffset, r.ValueLength);
        }

        e.Write(0x86, counterBytes, 0, 8);
        e.Write(0x8E, mac, 0, 16);
        e.EndConstructed();
        return output[..e.Finish()];
    }
}

using System.Security.Cryptography;
using NanoAgent.Agent.Messages;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Host.Backend;

/// <summary>
/// A whole SCP03 session pre-computed offline (GP Amd D §6.2.2.1): INITIALIZE UPDATE, EXTERNAL AUTHENTICATE and every
/// wrapped step, for the SD's next sequence counter, packed as one batch <see cref="ScriptRequest"/>. The session is
/// deterministic, so <see cref="NewChannel"/> re-derives it to unwrap the answers in order.
/// </summary>
public sealed class BatchPlan
{
    private readonly Scp03StaticKeys _keys;
    private readonly byte[] _hostChallenge;

    private BatchPlan(Scp03StaticKeys keys, BackendOptions options, ScriptFile script, int sequenceCounter, byte iParameter, byte[] hostChallenge)
    {
        _keys = keys;
        Options = options;
        Script = script;
        SequenceCounter = sequenceCounter;
        IParameter = iParameter;
        _hostChallenge = hostChallenge;
    }

    /// <summary>Gets the options the plan was made with.</summary>
    public BackendOptions Options { get; }

    /// <summary>Gets the script.</summary>
    public ScriptFile Script { get; }

    /// <summary>Gets the sequence counter the session is computed for.</summary>
    public int SequenceCounter { get; }

    /// <summary>Gets the host challenge the session was computed with.</summary>
    public byte[] HostChallenge => _hostChallenge;

    /// <summary>Gets the i parameter assumed for the card.</summary>
    public byte IParameter { get; }

    /// <summary>Gets the step names, in order.</summary>
    public List<string> Names { get; } = [];

    /// <summary>Gets the plain commands, in order.</summary>
    public List<byte[]> Plain { get; } = [];

    /// <summary>Gets the commands as sent (wrapped), in order.</summary>
    public List<byte[]> Wire { get; } = [];

    /// <summary>Gets the expected SW patterns, in order.</summary>
    public List<string> Expected { get; } = [];

    /// <summary>Gets the request to send (null until <see cref="Issue"/>).</summary>
    public ScriptRequest? Request { get; private set; }

    /// <summary>Pre-computes a session.</summary>
    /// <param name="keys">The tenant's keys.</param>
    /// <param name="options">Device, tenant, SD, channel, level.</param>
    /// <param name="script">The plain script.</param>
    /// <param name="sequenceCounter">The SD's sequence counter for this session (the last one seen plus one).</param>
    /// <param name="iParameter">The card's i parameter (pseudo-random challenge bit required).</param>
    /// <returns>The plan, not yet issued.</returns>
    /// <exception cref="SecureChannelException">The level is not supported or a step cannot be wrapped.</exception>
    public static BatchPlan Create(Scp03StaticKeys keys, BackendOptions options, ScriptFile script, int sequenceCounter, byte iParameter) =>
        Create(keys, options, script, sequenceCounter, iParameter, RandomNumberGenerator.GetBytes(16));

    /// <summary>Pre-computes a session with a given host challenge: the same inputs give the same APDUs, so a plan recorded
    /// by its inputs can be made again (a fleet worker taking a device over re-sends it).</summary>
    /// <param name="keys">The tenant's keys.</param>
    /// <param name="options">Device, tenant, SD, channel, level.</param>
    /// <param name="script">The plain script.</param>
    /// <param name="sequenceCounter">The SD's sequence counter for this session.</param>
    /// <param name="iParameter">The card's i parameter.</param>
    /// <param name="challenge">The host challenge (16 bytes; S8 uses the first 8).</param>
    /// <returns>The plan, not yet issued.</returns>
    /// <exception cref="SecureChannelException">The level is not supported or a step cannot be wrapped.</exception>
    public static BatchPlan Create(Scp03StaticKeys keys, BackendOptions options, ScriptFile script, int sequenceCounter, byte iParameter, byte[] challenge)
    {
        var plan = new BatchPlan(keys, options, script, sequenceCounter, iParameter, challenge);
        TenantChannel channel = plan.NewChannel();
        plan.Add("INITIALIZE UPDATE", null, channel.InitializeUpdate(null), "9000");
        plan.Add("EXTERNAL AUTHENTICATE", null, channel.ExternalAuthenticate(options.Level), "9000");
        foreach (ScriptFileStep step in script.Steps)
        {
            plan.Add($"{script.Name}:{step.Line}", step.Apdu, channel.Wrap(step.Apdu), step.ExpectationText);
        }

        return plan;
    }

    /// <summary>Re-derives the session (same challenges, same counter) to unwrap answers.</summary>
    /// <returns>A fresh channel; call InitializeUpdate, ExternalAuthenticate, then Wrap/Unwrap in order.</returns>
    public TenantChannel NewChannel() =>
        TenantChannel.Precomputed(_keys, Options.Channel, SequenceCounter, Options.Sd, IParameter, _hostChallenge);

    /// <summary>Packs the pre-computed APDUs into a request with a fresh script id and the given tenant counter. Issuing the
    /// same plan again sends the same APDUs under a new id (what a replaying attacker could do).</summary>
    /// <param name="tenantCounter">The tenant counter.</param>
    /// <returns>The request.</returns>
    public ScriptRequest Issue(ulong tenantCounter) => Issue(tenantCounter, Guid.NewGuid().ToByteArray());

    /// <summary>Packs the pre-computed APDUs into a request with a given script id and tenant counter.</summary>
    /// <param name="tenantCounter">The tenant counter.</param>
    /// <param name="scriptId">The script id.</param>
    /// <returns>The request.</returns>
    public ScriptRequest Issue(ulong tenantCounter, byte[] scriptId)
    {
        var steps = new ScriptStep[Wire.Count];
        for (int i = 0; i < steps.Length; i++)
        {
            ScriptFileStep? file = i >= 2 ? Script.Steps[i - 2] : null;
            ushort sw = file?.ExpectedSw ?? 0x9000, mask = file?.SwMask ?? 0xFFFF;

            // Every answer comes back (flag 02): the backend verifies the card cryptogram and each R-MAC itself.
            steps[i] = new ScriptStep(Wire[i], sw, mask, file?.ContinueOnFailure ?? false, returnData: true);
        }

        Request = new ScriptRequest
        {
            ScriptId = scriptId,
            TenantId = Options.Tenant,
            Counter = tenantCounter,
            TargetAid = Options.Sd,
            Mode = ScriptMode.Batch,
            ProgressEvery = Math.Clamp(Options.ProgressEvery, 1, 1024),
            Steps = steps,
        };
        return Request;
    }

    /// <summary>Writes every APDU of the plan, in clear and as it would be sent.</summary>
    /// <param name="output">Where to write.</param>
    public void PrintApdus(TextWriter output)
    {
        for (int i = 0; i < Wire.Count; i++)
        {
            output.WriteLine($"[{i + 1}/{Wire.Count}] {Names[i]}");
            output.WriteLine($"    clear:   {Convert.ToHexString(Plain[i])}");
            output.WriteLine($"    wrapped: {Convert.ToHexString(Wire[i])}  (expect {Expected[i]})");
        }
    }

    private void Add(string name, byte[]? plain, byte[] wire, string expected)
    {
        Names.Add(name);
        Plain.Add(plain ?? wire);
        Wire.Add(wire);
        Expected.Add(expected);
    }
}

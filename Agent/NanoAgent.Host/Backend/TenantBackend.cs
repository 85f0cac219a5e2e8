using System.Security.Cryptography;
using NanoAgent.Agent.Messages;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Drivers.Se05x;
using NanoAgent.Host.Delivery;

namespace NanoAgent.Host.Backend;

/// <summary>
/// A tenant's backend: holds the tenant's SCP03 keys (the agent never does), runs a <see cref="ScriptFile"/> on the tenant's
/// SD through the agent's relay, and verifies every answer of the SE end to end (card cryptogram, R-MAC, R-ENC).
/// <see cref="RunInteractive"/> opens an interactive relay session (one MQTT round trip per APDU, docs/protocol.md §5);
/// <see cref="RunBatch"/> pre-computes the whole session offline and sends it as one script (§4.4).
/// </summary>
public sealed class TenantBackend
{
    private readonly BackendLink? _link;
    private readonly BackendOptions _options;
    private readonly Scp03StaticKeys _keys;
    private readonly BackendState _state;
    private readonly TextWriter _output;
    private readonly RequestSigner? _signer;

    /// <summary>Creates the backend.</summary>
    /// <param name="link">The MQTT link to the device; null for offline work (<see cref="PrepareBatch"/>).</param>
    /// <param name="options">Device, tenant, SD, channel, level, timeout.</param>
    /// <param name="keys">The tenant's static keys.</param>
    /// <param name="state">Counters remembered between runs.</param>
    /// <param name="output">Where progress lines go.</param>
    public TenantBackend(BackendLink? link, BackendOptions options, Scp03StaticKeys keys, BackendState state, TextWriter output)
    {
        _link = link;
        if (link is not null)
        {
            link.Policy = ResendPolicy.For(options.Timeout);
        }

        _options = options;
        _keys = keys;
        _state = state;
        _output = output;
        _signer = options.RequestKeys is null ? null : RequestSigner.FromKeySet(options.RequestKeys, options.Device, options.Tenant);
    }

    private string StateKey => BackendState.Key(_options.Device, _options.Tenant, _options.Sd);

    /// <summary>Gets the APDUs the last interactive session sent, as they left this backend (wrapped).</summary>
    public List<byte[]> LastSession { get; } = [];

    private BackendLink Link => _link ?? throw new InvalidOperationException("This backend has no MQTT link.");

    /// <summary>Runs a script in an interactive session: INITIALIZE UPDATE, card cryptogram check, EXTERNAL AUTHENTICATE at the
    /// configured level, then each wrapped step, one round trip at a time, each answer unwrapped and checked.</summary>
    /// <param name="script">The script.</param>
    /// <returns>The verified report.</returns>
    /// <exception cref="BackendException">The broker or the agent stopped answering (exit code 3).</exception>
    public BackendReport RunInteractive(ScriptFile script) => RunInteractive(script, null);

    /// <summary>Runs a script in an interactive session opened by a given request (see <see cref="OpeningRequest"/>).</summary>
    /// <param name="script">The script.</param>
    /// <param name="open">The session's opening request, or null for a new id and the next tenant counter.</param>
    /// <returns>The verified report.</returns>
    /// <exception cref="BackendException">The broker or the agent stopped answering (exit code 3).</exception>
    public BackendReport RunInteractive(ScriptFile script, ScriptRequest? open)
    {
        var report = new BackendReport("interactive", 2 + script.Steps.Count);
        open ??= OpeningRequest(Guid.NewGuid().ToByteArray(), _state.NextTenantCounter());
        byte[] id = open.ScriptId;
        Link.Send(Encode(open));
        object opening = Link.Next(id, null);
        if (opening is ScriptResult refused)
        {
            report.Fail(Describe(refused));
            return report;
        }

        var session = new InteractiveExchange(Link, id, Encode);
        LastSession.Clear();
        session.Sent = LastSession;
        try
        {
            if (_options.Se05xAuthKey is not null)
            {
                RunSe05xSteps(script, report, session);
            }
            else
            {
                RunSteps(script, report, session);
            }
        }
        finally
        {
            if (session.Open)
            {
                session.End();
            }
        }

        return report;
    }

    /// <summary>
    /// Sends recorded APDUs again, byte for byte, in a new interactive session (what an attacker who captured a session and
    /// holds the tenant's request key could do): the SE must refuse them, since its card challenge differs. Each APDU is a
    /// step expected to answer '9000'; the run stops at the first that does not.
    /// </summary>
    /// <param name="apdus">The recorded APDUs (<see cref="LastSession"/>).</param>
    /// <returns>The report.</returns>
    /// <exception cref="BackendException">The broker or the agent stopped answering (exit code 3).</exception>
    public BackendReport ReplayInteractive(IReadOnlyList<byte[]> apdus)
    {
        var report = new BackendReport("interactive", apdus.Count);
        byte[] id = Guid.NewGuid().ToByteArray();
        Link.Send(Encode(new ScriptRequest
        {
            ScriptId = id, TenantId = _options.Tenant, Counter = _state.NextTenantCounter(), TargetAid = _options.Sd, Mode = ScriptMode.Interactive, Steps = [],
        }));
        if (Link.Next(id, null) is ScriptResult refused)
        {
            report.Fail(Describe(refused));
            return report;
        }

        var session = new InteractiveExchange(Link, id, Encode);
        try
        {
            for (int i = 0; i < apdus.Count; i++)
            {
                byte[]? rsp = session.Exchange(apdus[i], report);
                if (rsp is null)
                {
                    return report;
                }

                ushort sw = Sw(rsp);
                string? why = sw == 0x9000 ? null : $"replayed APDU {i} answered {sw:X4}";
                if (!Add(report, new StepReport(i, $"replay {i}", apdus[i], sw, null, "9000", why is null, why ?? string.Empty), why))
                {
                    return report;
                }
            }
        }
        finally
        {
            if (session.Open)
            {
                session.End();
            }
        }

        return report;
    }

    /// <summary>Builds the request that opens an interactive session (docs/protocol.md §5: mode interactive, no steps).</summary>
    /// <param name="id">The session id.</param>
    /// <param name="tenantCounter">The tenant counter.</param>
    /// <returns>The request, not yet sent.</returns>
    public ScriptRequest OpeningRequest(byte[] id, ulong tenantCounter) => new()
    {
        ScriptId = id, TenantId = _options.Tenant, Counter = tenantCounter, TargetAid = _options.Sd,
        Mode = ScriptMode.Interactive, Steps = [], ResetAuthGuard = _options.ResetAuthGuard, ResetAuthGuardOf = _options.ResetAuthGuardOf,
    };

    /// <summary>Pre-computes a batch session for the SD's next sequence counter (from <c>--counter</c> or the state file).</summary>
    /// <param name="script">The script.</param>
    /// <returns>The plan, not yet issued.</returns>
    /// <exception cref="BackendException">The counter is unknown, or the session cannot be pre-computed (exit code 2 or 1).</exception>
    public BatchPlan PrepareBatch(ScriptFile script)
    {
        if (_options.Se05x)
        {
            throw new BackendException(2, "an SE05x applet session authenticates with the card's random challenge, so it cannot be pre-computed: use --mode interactive (docs/protocol.md §4.6)");
        }

        BackendState.DomainFacts? facts = _state.Find(StateKey);
        int counter = _options.SequenceCounter ?? (facts is null
            ? throw new BackendException(2, $"the sequence counter of SD {Convert.ToHexString(_options.Sd)} on {_options.Device} is not known yet: run once with --mode interactive, or pass --counter N")
            : facts.SequenceCounter + 1);

        // i parameter: pseudo-random challenges, R-MAC and R-ENC support (0x70) unless the card showed otherwise.
        byte iParameter = (byte)((facts?.IParameter ?? 0x70) | (_options.S16 ? Scp03SecurityLevel.S16Mode : 0));
        try
        {
            return BatchPlan.Create(_keys, _options, script, counter, iParameter);
        }
        catch (SecureChannelException e)
        {
            throw new BackendException(1, $"cannot pre-compute the session: {e.Message}");
        }
    }

    /// <summary>Sends the script's steps as they are, without an SCP03 session, as one batch (<see cref="PlainScript"/>).</summary>
    /// <param name="script">The script.</param>
    /// <returns>The report (status words checked; answers not authenticated).</returns>
    public BackendReport RunPlain(ScriptFile script)
    {
        ScriptRequest request = PlainScript.Request(_options, script, _state.NextTenantCounter());
        _output.WriteLine($"plain: {request.Steps.Length} APDUs without SCP03, tenant counter {request.Counter}");
        Link.Send(Encode(request));
        object answer;
        do
        {
            answer = Link.Next(request.ScriptId, p => _output.WriteLine($"  progress: {p.StepsDone}/{p.StepCount} steps answered, last SW {p.LastSw:X4}"));
        }
        while (answer is not ScriptResult);

        return PlainScript.Report(script, (ScriptResult)answer, _output);
    }

    /// <summary>Pre-computes the session and runs it as one batch script.</summary>
    /// <param name="script">The script.</param>
    /// <returns>The verified report.</returns>
    public BackendReport RunBatch(ScriptFile script) => SendBatch(PrepareBatch(script));

    /// <summary>Sends a plan under a fresh script id and the next tenant counter (or <paramref name="tenantCounter"/>), waits
    /// for the result (progress shown) and verifies every answer.</summary>
    /// <param name="plan">The plan (may have been sent before: then the SE sees the same APDUs again).</param>
    /// <param name="tenantCounter">The tenant counter to use, or null for the next one.</param>
    /// <returns>The verified report.</returns>
    public BackendReport SendBatch(BatchPlan plan, ulong? tenantCounter = null)
    {
        ScriptRequest issued = plan.Issue(tenantCounter ?? _state.NextTenantCounter());
        issued.ResetAuthGuard = _options.ResetAuthGuard;
        issued.ResetAuthGuardOf = _options.ResetAuthGuardOf;
        return ResendBatch(plan);
    }

    /// <summary>Sends the plan's request exactly as last issued (same script id and counter) and verifies the answer.</summary>
    /// <param name="plan">An issued plan.</param>
    /// <returns>The verified report.</returns>
    public BackendReport ResendBatch(BatchPlan plan)
    {
        ScriptRequest request = plan.Request ?? throw new InvalidOperationException("Issue the plan first.");
        _output.WriteLine($"batch: {plan.Wire.Count} APDUs pre-computed for sequence counter {plan.SequenceCounter}, tenant counter {request.Counter}");
        Link.Send(Encode(request));
        object answer;
        do
        {
            answer = Link.Next(request.ScriptId, p => _output.WriteLine($"  progress: {p.StepsDone}/{p.StepCount} steps answered, last SW {p.LastSw:X4}"));
        }
        while (answer is not ScriptResult);

        return new BatchVerifier(plan, _state, StateKey, _output).Verify((ScriptResult)answer);
    }

    /// <summary>Encodes a script request as sent: authenticated with the tenant's request key (docs/protocol.md §3.9).</summary>
    /// <param name="request">The request.</param>
    /// <returns>The message bytes (the same bytes for the same request: the MAC is deterministic).</returns>
    public byte[] Encode(ScriptRequest request) => _signer is null ? ScriptMessageCodec.Encode(request) : _signer.Sign(request);

    /// <summary>Encodes an interactive APDU request as sent, authenticated like <see cref="Encode(ScriptRequest)"/>.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The message bytes.</returns>
    public byte[] Encode(ApduRequest request) => _signer is null ? ScriptMessageCodec.Encode(request) : _signer.Sign(request);

    internal static string Describe(ScriptResult result) => result.Outcome switch
    {
        ScriptOutcome.Rejected => $"the relay rejected the request: {result.Reason} (docs/protocol.md §3.8)",
        ScriptOutcome.SetupFailed => $"the agent could not open a logical channel for the session or select the SD there (SW {result.SetupSw:X4})",
        ScriptOutcome.IdleTimeout => "the agent closed the session after its idle timeout",
        ScriptOutcome.Interrupted => $"the run was interrupted at step {result.FailedStep} (reboot or SE link lost)",
        ScriptOutcome.StorageFailed => $"the agent stopped at step {result.FailedStep}: its relay store could not record the step (see the agent's log)",
        _ => $"the session ended early ({result.Outcome})",
    };

    private void RunSteps(ScriptFile script, BackendReport report, InteractiveExchange session)
    {
        int total = report.Total;
        TenantChannel channel = TenantChannel.Interactive(_keys, _options.Channel, _options.S16);
        byte[] iu = channel.InitializeUpdate(RandomNumberGenerator.GetBytes(_options.S16 ? 16 : 8));
        byte[]? rsp = session.Exchange(iu, report);
        if (rsp is null)
        {
            return;
        }

        ushort sw = Sw(rsp);
        string? why = sw != 0x9000 ? $"INITIALIZE UPDATE refused ({sw:X4}): no key set {_keys.KeyVersion:X2} on this SD, or it is blocked" : null;
        if (why is null)
        {
            try
            {
                // GP Amd D §6.2.2.2: the card proves it holds the same keys.
                channel.CheckInitializeUpdate(rsp);
                if (channel.Session.SequenceCounter >= 0)
                {
                    _state.Record(StateKey, channel.Session.SequenceCounter, channel.Session.IParameter);
                }
            }
            catch (SecureChannelException e)
            {
                why = e.Error == SecureChannelError.CardCryptogramMismatch
                    ? $"card cryptogram check failed: the SD does not hold these keys (KVN {_keys.KeyVersion:X2}), or it is not the expected card"
                    : $"INITIALIZE UPDATE answer rejected: {e.Message}";
            }
        }

        if (!Add(report, new StepReport(0, "INITIALIZE UPDATE", iu, sw, rsp[..^2], "9000", why is null, why ?? string.Empty), why))
        {
            return;
        }

        byte[] ea;
        try
        {
            ea = channel.ExternalAuthenticate(_options.Level);
        }
        catch (SecureChannelException e)
        {
            report.Fail($"security level {_options.Level:X2} cannot be used with this card (i parameter {channel.Session.IParameter:X2}): {e.Message}");
            return;
        }

        rsp = session.Exchange(ea, report);
        if (rsp is null)
        {
            return;
        }

        sw = Sw(rsp);
        why = sw == 0x9000 ? null : $"EXTERNAL AUTHENTICATE refused ({sw:X4}): the card did not accept the host cryptogram";
        if (!Add(report, new StepReport(1, "EXTERNAL AUTHENTICATE", ea, sw, null, "9000", why is null, why ?? string.Empty), why))
        {
            return;
        }

        for (int i = 0; i < script.Steps.Count; i++)
        {
            ScriptFileStep step = script.Steps[i];
            string name = $"{script.Name}:{step.Line}";
            rsp = session.Exchange(channel.Wrap(step.Apdu), report);
            if (rsp is null)
            {
                return;
            }

            byte[] plain;
            try
            {
                plain = channel.Unwrap(rsp);
            }
            catch (SecureChannelException e)
            {
                Add(report, new StepReport(i + 2, name, step.Apdu, Sw(rsp), null, step.ExpectationText, false, "answer does not verify"),
                    $"the answer to step {i + 2} ({name}) does not verify: {e.Message}");
                return;
            }

            if (!Judge(report, i + 2, name, step, plain))
            {
                return;
            }
        }
    }

    // A script step's unwrapped answer against its expected status words: false when the run stops here.
    private bool Judge(BackendReport report, int index, string name, ScriptFileStep step, byte[] plain)
    {
        ushort sw = Sw(plain);
        bool passed = step.Accepts(sw);
        string note = passed ? string.Empty : step.ContinueOnFailure ? "continue" : "stopped here";
        string? why = passed || step.ContinueOnFailure ? null : $"step {index} ({name}) answered {sw:X4}, expected {step.ExpectationText}";
        if (!Add(report, new StepReport(index, name, step.Apdu, sw, plain[..^2], step.ExpectationText, passed, note), why))
        {
            return false;
        }

        if (!passed)
        {
            report.Fail($"step {index} ({name}) answered {sw:X4}, expected {step.ExpectationText} (continued)");
            report.FailureCode = 1;
        }

        return true;
    }

    private bool Add(BackendReport report, StepReport step, string? why)
    {
        report.Steps.Add(step);
        _output.WriteLine(step.ProgressLine(report.Total));
        if (why is not null)
        {
            report.Fail(why);
            return false;
        }

        return true;
    }

    private static ushort Sw(byte[] response) => (ushort)((response[^2] << 8) | response[^1]);

    // docs/protocol.md §4.6: the tenant's own applet-level SCP03 (Se05xAppletScp03: KVN 00, level 33, inner APDUs without Le)
    // inside the applet session the agent opened with its authentication object; one round trip per APDU.
    private void RunSe05xSteps(ScriptFile script, BackendReport report, InteractiveExchange session)
    {
        var scp = new Se05xAppletScp03(BouncyCastleAesFactory.Instance, _options.Se05xAuthKey!, 0);
        byte[] buffer = new byte[4096];
        byte[] iu = buffer[..scp.BuildInitializeUpdate(RandomNumberGenerator.GetBytes(8), 0, buffer, 0)];
        byte[]? rsp = session.Exchange(iu, report);
        if (rsp is null)
        {
            return;
        }

        ushort sw = Sw(rsp);
        string? why = sw != 0x9000 ? $"INITIALIZE UPDATE refused ({sw:X4}): no such authentication object, or it is blocked" : null;
        if (why is null)
        {
            try
            {
                scp.ProcessInitializeUpdateResponse(rsp, 0, rsp.Length);
            }
            catch (SecureChannelException e)
            {
                why = e.Error == SecureChannelError.CardCryptogramMismatch
                    ? "card cryptogram check failed: the authentication object does not hold this key"
                    : $"INITIALIZE UPDATE answer rejected: {e.Message}";
            }
        }

        if (!Add(report, new StepReport(0, "INITIALIZE UPDATE", iu, sw, rsp[..^2], "9000", why is null, why ?? string.Empty), why))
        {
            return;
        }

        byte[] ea = buffer[..scp.BuildExternalAuthenticate(buffer, 0)];
        rsp = session.Exchange(ea, report);
        if (rsp is null)
        {
            return;
        }

        sw = Sw(rsp);
        why = sw == 0x9000 ? null : $"EXTERNAL AUTHENTICATE refused ({sw:X4}): the SE did not accept the host cryptogram";
        if (why is null)
        {
            scp.ProcessExternalAuthenticateResponse(rsp, 0, rsp.Length);
        }

        if (!Add(report, new StepReport(1, "EXTERNAL AUTHENTICATE", ea, sw, null, "9000", why is null, why ?? string.Empty), why))
        {
            return;
        }

        for (int i = 0; i < script.Steps.Count; i++)
        {
            ScriptFileStep step = script.Steps[i];
            string name = $"{script.Name}:{step.Line}";
            byte[] wrapped;
            try
            {
                wrapped = buffer[..scp.WrapCommand(step.Apdu, 0, step.Apdu.Length, buffer, 0, out _)];
            }
            catch (Exception e) when (e is SecureChannelException or Se05xException)
            {
                report.Fail($"step {i + 2} ({name}) cannot be wrapped: {e.Message}");
                return;
            }

            rsp = session.Exchange(wrapped, report);
            if (rsp is null)
            {
                return;
            }

            byte[] plain = new byte[rsp.Length + 2];
            int n;
            try
            {
                n = scp.UnwrapResponse(rsp, 0, rsp.Length, plain, 0);
            }
            catch (SecureChannelException e)
            {
                Add(report, new StepReport(i + 2, name, step.Apdu, Sw(rsp), null, step.ExpectationText, false, "answer does not verify"),
                    $"the answer to step {i + 2} ({name}) does not verify: {e.Message}");
                return;
            }

            if (!Judge(report, i + 2, name, step, plain[..n]))
            {
                return;
            }
        }
    }
}

using NanoAgent.Agent.Messages;

namespace NanoAgent.Host.Backend;

/// <summary>The backend side of one interactive relay session (docs/protocol.md §5): numbered E2 requests, E3 answers.</summary>
internal sealed class InteractiveExchange
{
    private readonly BackendLink _link;
    private readonly byte[] _id;
    private readonly Func<ApduRequest, byte[]> _encode;
    private int _sequence;

    public InteractiveExchange(BackendLink link, byte[] id, Func<ApduRequest, byte[]> encode)
    {
        _encode = encode;
        _link = link;
        _id = id;
    }

    /// <summary>Gets or sets where every APDU sent is recorded, or null.</summary>
    public List<byte[]>? Sent { get; set; }

    /// <summary>Gets a value indicating whether the agent still holds the session open.</summary>
    public bool Open { get; private set; } = true;

    /// <summary>Sends one APDU and returns the SE's answer; null (and the report failed) when the relay refused it or the
    /// session ended.</summary>
    public byte[]? Exchange(byte[] command, BackendReport report)
    {
        _sequence++;
        Sent?.Add(command);
        _link.Send(_encode(new ApduRequest { ScriptId = _id, Sequence = _sequence, Command = command }));
        while (true)
        {
            object answer = _link.Next(_id, null);
            if (answer is ScriptResult ended)
            {
                Open = false;
                report.Fail(TenantBackend.Describe(ended));
                return null;
            }

            var response = (ApduResponse)answer;
            if (response.Sequence != _sequence)
            {
                continue; // A redelivered earlier answer, or the answer to a re-sent earlier request.
            }

            if (response.Reason != RejectReason.None || response.Response is null || response.Response.Length < 2)
            {
                // A refused APDU does not take its sequence number (docs/protocol.md): the next request reuses it.
                _sequence--;
                report.Fail($"the relay refused APDU {_sequence} ({Convert.ToHexString(command, 0, Math.Min(4, command.Length))}..): {response.Reason} (docs/protocol.md §3.8)");
                return null;
            }

            return response.Response;
        }
    }

    /// <summary>Ends the session and waits for its result (E5).</summary>
    public ScriptResult? End()
    {
        _sequence++;
        _link.Send(_encode(new ApduRequest { ScriptId = _id, Sequence = _sequence, End = true }));
        Open = false;
        while (true)
        {
            if (_link.Next(_id, null) is ScriptResult result)
            {
                return result;
            }
        }
    }
}

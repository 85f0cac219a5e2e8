using NanoAgent.Agent.Messages;
using NanoAgent.Host.Se;

namespace NanoAgent.Host.Provision;

/// <summary>
/// The SE's identity for the receipt: the CPLC (GPC v2.3.1 §H.6) answered by a GET DATA '9F7F' step that the owner's part of
/// the bundle includes in plain (CLA '80', return-data flag set), so the console can read it without any key.
/// </summary>
public sealed class SeIdentity
{
    private SeIdentity(byte[] cplc) => Cplc = cplc;

    /// <summary>Gets the 42 CPLC bytes.</summary>
    public byte[] Cplc { get; }

    /// <summary>Gets the IC serial number (CPLC bytes 12-15), the SE serial printed on the receipt.</summary>
    public string IcSerial => Convert.ToHexString(Cplc, 12, 4);

    /// <summary>Gets the named CPLC fields in hex.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields => CplcText.Describe(Cplc);

    /// <summary>Looks for a GET DATA '9F7F' step answered with a CPLC object in an item's result.</summary>
    /// <param name="request">The item's request.</param>
    /// <param name="result">The agent's result for it.</param>
    /// <returns>The identity, or null if that item has none.</returns>
    public static SeIdentity? Find(ScriptRequest request, ScriptResult result)
    {
        foreach (StepResult step in result.Steps)
        {
            if (step.Outcome != StepOutcome.Passed || step.Data is not { } data || step.Index >= request.Steps.Length)
            {
                continue;
            }

            // GPC §11.3: GET DATA, INS 'CA', P1-P2 = the tag; the answer is the whole TLV '9F7F' '2A' value.
            byte[] c = request.Steps[step.Index].Command;
            if (c.Length >= 4 && c[1] == 0xCA && c[2] == 0x9F && c[3] == 0x7F
                && data.Length >= 3 + CplcText.Length && data[0] == 0x9F && data[1] == 0x7F && data[2] == CplcText.Length)
            {
                return new SeIdentity(data[3..(3 + CplcText.Length)]);
            }
        }

        return null;
    }
}

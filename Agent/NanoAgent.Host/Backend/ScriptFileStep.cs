namespace NanoAgent.Host.Backend;

/// <summary>One command of a script file: the APDU in clear, what status word to expect, and what to do if it differs.</summary>
/// <param name="Apdu">The command APDU.</param>
/// <param name="ExpectedSw">The expected status word (bits outside <paramref name="SwMask"/> are ignored).</param>
/// <param name="SwMask">Which bits of the status word must match: FFFF exact, FF00 for "61XX".</param>
/// <param name="ContinueOnFailure">Whether the script goes on when the status word does not match.</param>
/// <param name="Line">The 1-based line in the file, for messages.</param>
public sealed record ScriptFileStep(byte[] Apdu, ushort ExpectedSw, ushort SwMask, bool ContinueOnFailure, int Line)
{
    /// <summary>Tells whether a status word meets the expectation.</summary>
    /// <param name="sw">The status word received.</param>
    /// <returns>True when it matches under the mask.</returns>
    public bool Accepts(ushort sw) => (sw & SwMask) == (ExpectedSw & SwMask);

    /// <summary>Gets the expectation as written, e.g. "9000" or "61XX".</summary>
    public string ExpectationText
    {
        get
        {
            var chars = new char[4];
            for (int i = 0; i < 4; i++)
            {
                int shift = 12 - (4 * i);
                chars[i] = ((SwMask >> shift) & 0xF) == 0 ? 'X' : "0123456789ABCDEF"[(ExpectedSw >> shift) & 0xF];
            }

            return new string(chars);
        }
    }
}

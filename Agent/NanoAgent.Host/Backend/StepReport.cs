namespace NanoAgent.Host.Backend;

/// <summary>One step of a backend run as the backend verified it: the plain command, the plain (unwrapped) answer, the verdict.</summary>
/// <param name="Index">The step index in the request (0 = INITIALIZE UPDATE, 1 = EXTERNAL AUTHENTICATE).</param>
/// <param name="Name">What the step is: "INITIALIZE UPDATE", "EXTERNAL AUTHENTICATE" or "script.apdu:7".</param>
/// <param name="Command">The plain command (before wrapping).</param>
/// <param name="Sw">The status word the SE answered, or null when the step never ran or its answer is unknown.</param>
/// <param name="Data">The plain response data (verified and decrypted), or null.</param>
/// <param name="Expected">The expected status word pattern, e.g. <c>9000</c> or <c>61XX</c>.</param>
/// <param name="Passed">Whether the step met its expectation and its answer verified.</param>
/// <param name="Note">Why it failed, or what else is worth knowing; empty when nothing.</param>
public sealed record StepReport(int Index, string Name, byte[] Command, ushort? Sw, byte[]? Data, string Expected, bool Passed, string Note)
{
    /// <summary>Gets the one-line progress form: <c>[3/12] 80E60C00.. -> 9000 ok</c>.</summary>
    /// <param name="total">The number of steps.</param>
    /// <returns>The line.</returns>
    public string ProgressLine(int total)
    {
        string head = Convert.ToHexString(Command, 0, Math.Min(4, Command.Length)) + (Command.Length > 4 ? ".." : string.Empty);
        string sw = Sw is { } value ? value.ToString("X4") : "----";
        return $"[{Index + 1}/{total}] {head} -> {sw} {(Passed ? "ok" : "FAILED")}" + (Note.Length > 0 ? $" ({Note})" : string.Empty);
    }
}

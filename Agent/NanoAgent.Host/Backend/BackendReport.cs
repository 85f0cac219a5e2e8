namespace NanoAgent.Host.Backend;

/// <summary>The outcome of one backend run: every step as verified by the backend, and a one-line verdict.</summary>
public sealed class BackendReport
{
    /// <summary>Creates a report.</summary>
    /// <param name="mode">"interactive" or "batch".</param>
    /// <param name="total">The number of steps planned (handshake included).</param>
    public BackendReport(string mode, int total)
    {
        Mode = mode;
        Total = total;
    }

    /// <summary>Gets the mode.</summary>
    public string Mode { get; }

    /// <summary>Gets the number of steps planned, handshake included.</summary>
    public int Total { get; }

    /// <summary>Gets the steps that ran (or were reported), in order.</summary>
    public List<StepReport> Steps { get; } = [];

    /// <summary>Gets or sets the failure in words, or null when every step met its expectation.</summary>
    public string? Failure { get; set; }

    /// <summary>Gets or sets the exit code of a failure (1 failed, 3 unreachable); 0 on success.</summary>
    public int FailureCode { get; set; } = 1;

    /// <summary>Gets a value indicating whether every step met its expectation.</summary>
    public bool Succeeded => Failure is null && Steps.Count == Total && Steps.TrueForAll(s => s.Passed);

    /// <summary>Gets the process exit code: 0 only when every step met its expectation.</summary>
    public int ExitCode => Succeeded ? 0 : Failure is null ? 1 : FailureCode;

    /// <summary>Returns the step found by its name (e.g. a script line), or null.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The step, or null.</returns>
    public StepReport? Find(string name) => Steps.Find(s => s.Name == name);

    /// <summary>Marks the run failed, keeping the first reason.</summary>
    /// <param name="why">The reason.</param>
    /// <param name="code">The exit code.</param>
    public void Fail(string why, int code = 1)
    {
        if (Failure is null)
        {
            Failure = why;
            FailureCode = code;
        }
    }

    /// <summary>Writes the results table and the outcome line.</summary>
    /// <param name="output">Where to write.</param>
    public void Print(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"{"#",3}  {"step",-24} {"command",-22} {"expect",-6} {"SW",-4}  {"result",-6}  response data");
        foreach (StepReport s in Steps)
        {
            string command = Convert.ToHexString(s.Command);
            command = command.Length > 22 ? command[..20] + ".." : command;
            string data = s.Data is null ? string.Empty : Convert.ToHexString(s.Data);
            data = data.Length > 48 ? data[..46] + ".." : data;
            string sw = s.Sw is { } v ? v.ToString("X4") : "----";
            string result = s.Passed ? "ok" : s.Sw is null ? "-" : "FAIL";
            output.WriteLine($"{s.Index,3}  {s.Name,-24} {command,-22} {s.Expected,-6} {sw,-4}  {result,-6}  {data}" + (s.Note.Length > 0 ? $"  [{s.Note}]" : string.Empty));
        }

        output.WriteLine();
        output.WriteLine(Succeeded
            ? Mode == "plain"
                ? $"OK: plain run, {Total} steps, every status word as expected (no SCP03: the answers are not authenticated)."
                : $"OK: {Mode} run, {Total} steps, every answer verified end to end (SCP03) and as expected."
            : $"FAILED: {Failure ?? "not every step met its expectation"}");
    }
}

namespace NanoAgent.Host.Se;

/// <summary>What <c>se probe</c> found: facts in order, and a verdict.</summary>
public sealed class ProbeReport
{
    /// <summary>Gets the facts, each a label and a value, in the order they were found.</summary>
    public List<KeyValuePair<string, string>> Facts { get; } = [];

    /// <summary>Gets the problems found, in plain words.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>Gets or sets the exit code the report implies.</summary>
    public int ExitCode { get; set; }

    /// <summary>Gets a value indicating whether the probe passed.</summary>
    public bool Passed => Problems.Count == 0;

    /// <summary>Adds a fact.</summary>
    /// <param name="label">What it is.</param>
    /// <param name="value">Its value.</param>
    public void Add(string label, string value) => Facts.Add(new(label, value));
}

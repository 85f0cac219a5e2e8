namespace NanoAgent.Host.Gate;

/// <summary>What a <see cref="HostCommand"/> run gave: its standard output, or why it failed.</summary>
/// <param name="Output">The standard output (UTF-8), empty on failure.</param>
/// <param name="Failure">Null on success; else "exited with 3", "timed out after 5 s" or "could not start: …".</param>
public sealed record HostCommandResult(string Output, string? Failure);

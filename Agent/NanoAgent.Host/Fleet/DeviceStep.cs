namespace NanoAgent.Host.Fleet;

/// <summary>One verified step as recorded with a device (<c>campaign report --device</c>): every property written, null when
/// unknown (a step that never ran has no status word).</summary>
/// <param name="Index">The step's index (0 and 1 the handshake).</param>
/// <param name="Name">The step's name (script file and line).</param>
/// <param name="Sw">The status word in hex, or null.</param>
/// <param name="Expected">The expected pattern.</param>
/// <param name="Passed">Whether it met its expectation.</param>
/// <param name="Note">Why it failed, or null.</param>
/// <param name="Data">The plain response data in hex, or null.</param>
internal sealed record DeviceStep(int Index, string Name, string? Sw, string Expected, bool Passed, string? Note, string? Data);

using NanoAgent.Drivers.Diagnostics;

namespace NanoAgent.Host.Diag;

/// <summary>What <see cref="DiagHtmlReport"/> puts in the report.</summary>
/// <param name="Report">What the diagnostics found.</param>
/// <param name="Notes">Remarks about checks that could not run on this platform.</param>
/// <param name="ExitCode">The exit code <c>diag</c> returns.</param>
/// <param name="Options">The options the run used (scan range, expected address).</param>
/// <param name="Timeline">The frames of the run, or null when none were recorded.</param>
/// <param name="Target">Where the SE is, in words ("virtual SE05x on I2C 0x48", "/dev/i2c-1 0x48").</param>
/// <param name="When">When the run ended.</param>
public sealed record DiagHtmlInput(
    DiagnosticReport Report, IReadOnlyList<string> Notes, int ExitCode, WiringDiagnosticsOptions Options, FrameTimeline? Timeline, string Target, DateTimeOffset When);

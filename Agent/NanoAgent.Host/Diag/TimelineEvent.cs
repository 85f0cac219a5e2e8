using NanoAgent.Drivers.Bus;

namespace NanoAgent.Host.Diag;

/// <summary>One mark on the <c>diag --html</c> frame timeline.</summary>
/// <param name="Milliseconds">The trace clock when it happened (the first of a run of refused transfers).</param>
/// <param name="Kind">What it is.</param>
/// <param name="Direction">Which way it went (host→SE for markers).</param>
/// <param name="Label">A short label, such as "I(0)", "R(1) CRC error" or "NACK ×3".</param>
/// <param name="Detail">The frame decoded in full, or what the marker says.</param>
/// <param name="Count">How many transfers it stands for (more than one for a run of NACKs or busy reads).</param>
public sealed record TimelineEvent(long Milliseconds, TimelineEventKind Kind, FrameDirection Direction, string Label, string Detail, int Count);

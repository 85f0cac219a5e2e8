using System.Text;
using System.Text.RegularExpressions;

namespace NanoAgent.VirtualSe.Tests.Rotation;

/// <summary>
/// Compares card state files. Every INITIALIZE UPDATE advances the SD's sequence counter before the challenge leaves the card
/// (GP Amd D §6.2.2.1), so a session attempt changes that one number; <see cref="WithoutCounters"/> blanks it out.
/// </summary>
internal static partial class StateFiles
{
    public static string WithoutCounters(byte[] json) => CounterPattern().Replace(Encoding.UTF8.GetString(json), "\"SequenceCounter\": _");

    [GeneratedRegex("\"SequenceCounter\": *[0-9]+")]
    private static partial Regex CounterPattern();
}

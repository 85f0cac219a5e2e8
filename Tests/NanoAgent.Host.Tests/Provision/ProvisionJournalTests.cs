using System.Text;
using CsCheck;
using NanoAgent.Host.Provision;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Tests.Provision;

/// <summary>The journal reader: any content either opens or is refused with one error naming the file, never anything else.</summary>
public sealed class ProvisionJournalTests
{
    private const string Entry = "{\"bundleId\":\"b\",\"order\":1,\"tenant\":\"acme\",\"scriptId\":\"0A0B\",\"outcome\":\"completed\",\"result\":\"5QE=\"}";

    [Fact]
    public void Open_RandomBytes_OpensOrOnlyInputFileException()
    {
        using var dir = new TempDir();
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            string path = dir.File(Guid.NewGuid().ToString("N")); // samples run in parallel
            File.WriteAllBytes(path, bytes);
            try
            {
                ProvisionJournal.Open(path, "b");
            }
            catch (InputFileException e)
            {
                Assert.Equal(path, e.FilePath);
                Assert.DoesNotContain('\n', e.Problem);
            }
        }, iter: 500);
    }

    [Fact]
    public void Open_ValidLinesWithAMutatedOne_TornTailToleratedElseRefused()
    {
        using var dir = new TempDir();
        Gen.Select(Gen.Int[1, 4], Gen.Int[0, 3], Gen.Int[0, Entry.Length - 1], Gen.Char['!', '~']).Sample((lines, bad, at, c) =>
        {
            bad %= lines;
            string path = dir.File(Guid.NewGuid().ToString("N")); // samples run in parallel
            var text = new StringBuilder();
            for (int i = 0; i < lines; i++)
            {
                string line = i == bad ? Entry[..at] + c + Entry[(at + 1)..] : Entry;
                bool last = i == lines - 1;
                text.Append(last && i == bad ? line[..at] : line + "\n"); // the mutated last line is also cut short: torn
            }

            File.WriteAllText(path, text.ToString());
            try
            {
                ProvisionJournal journal = ProvisionJournal.Open(path, "b");
                Assert.InRange(journal.Count, 0, 2); // a mutated id is another entry
            }
            catch (InputFileException e)
            {
                Assert.True(bad != lines - 1, $"{e.Problem} | {text}"); // only a line that is not the (torn) last one is refused
                Assert.True(e.Problem.Contains($"line {bad + 1} is corrupt"), $"{e.Problem} | {text}");
            }
        }, iter: 500);
    }
}

using System.Text;

namespace NanoAgent.Fuzz.Tests;

/// <summary>Reads the seeds in Tests/Corpus/&lt;parser&gt;/ (copied next to the test assembly): *.hex as hex text, *.txt as UTF-8.</summary>
public static class Corpus
{
    /// <summary>Loads every seed of one parser.</summary>
    /// <param name="parser">The folder name, e.g. <c>GpCip</c>.</param>
    /// <returns>The seeds, in file name order (at least one).</returns>
    public static byte[][] Load(string parser)
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "Corpus", parser);
        string[] files = Directory.GetFiles(dir);
        Array.Sort(files, StringComparer.Ordinal);
        var seeds = new List<byte[]>();
        foreach (string file in files)
        {
            if (file.EndsWith(".hex", StringComparison.Ordinal))
            {
                string text = new string(File.ReadAllText(file).Where(Uri.IsHexDigit).ToArray());
                seeds.Add(Convert.FromHexString(text));
            }
            else if (file.EndsWith(".txt", StringComparison.Ordinal))
            {
                seeds.Add(Encoding.UTF8.GetBytes(File.ReadAllText(file)));
            }
        }

        if (seeds.Count == 0)
        {
            throw new InvalidOperationException($"No seeds in {dir}.");
        }

        return [.. seeds];
    }
}

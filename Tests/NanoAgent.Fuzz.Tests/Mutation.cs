namespace NanoAgent.Fuzz.Tests;

/// <summary>One edit of a seed: what to do, where (taken modulo the length) and with which byte.</summary>
/// <param name="Kind">0 bit flip, 1 truncate, 2 insert a byte, 3 overwrite a byte, 4 delete a byte, 5 duplicate a run, 6 set a byte to 00/FF/7F/80.</param>
/// <param name="Position">Where, before taking it modulo the current length.</param>
/// <param name="Value">The byte (for a bit flip, its low three bits pick the bit).</param>
public readonly record struct Mutation(int Kind, int Position, byte Value)
{
    /// <summary>The number of mutation kinds.</summary>
    public const int Kinds = 7;

    private static readonly byte[] Edges = [0x00, 0xFF, 0x7F, 0x80];

    /// <summary>Applies a list of mutations to a copy of a seed.</summary>
    /// <param name="seed">The seed (not changed).</param>
    /// <param name="mutations">The edits, applied in order.</param>
    /// <returns>The mutated bytes.</returns>
    public static byte[] Apply(byte[] seed, Mutation[] mutations)
    {
        var bytes = new List<byte>(seed);
        foreach (Mutation m in mutations)
        {
            int n = bytes.Count;
            int at = n == 0 ? 0 : (int)((uint)m.Position % (uint)n);
            switch (m.Kind)
            {
                case 0 when n > 0: bytes[at] ^= (byte)(1 << (m.Value & 7)); break;
                case 1: bytes.RemoveRange(at, n - at); break;
                case 2: bytes.Insert(n == 0 ? 0 : (int)((uint)m.Position % (uint)(n + 1)), m.Value); break;
                case 3 when n > 0: bytes[at] = m.Value; break;
                case 4 when n > 0: bytes.RemoveAt(at); break;
                case 5 when n > 0: bytes.InsertRange(at, bytes.GetRange(at, Math.Min(1 + (m.Value & 15), n - at))); break;
                case 6 when n > 0: bytes[at] = Edges[m.Value & 3]; break;
            }
        }

        return [.. bytes];
    }
}

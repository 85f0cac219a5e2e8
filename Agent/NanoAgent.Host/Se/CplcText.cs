namespace NanoAgent.Host.Se;

/// <summary>Names the fields of the 42-byte Card Production Life Cycle data (GPC 2.3.1 §H.6).</summary>
public static class CplcText
{
    private static readonly (string Name, int Length)[] Fields =
    [
        ("IC fabricator", 2), ("IC type", 2), ("OS identifier", 2), ("OS release date", 2), ("OS release level", 2),
        ("IC fabrication date", 2), ("IC serial number", 4), ("IC batch identifier", 2), ("module fabricator", 2),
        ("module packaging date", 2), ("ICC manufacturer", 2), ("IC embedding date", 2), ("IC pre-personaliser", 2),
        ("IC pre-perso date", 2), ("IC pre-perso equipment", 4), ("IC personaliser", 2), ("IC personalisation date", 2),
        ("IC perso equipment", 4),
    ];

    /// <summary>The CPLC length without its tag and length.</summary>
    public const int Length = 42;

    /// <summary>Splits CPLC data (the value of tag 9F7F) into named hex fields.</summary>
    /// <param name="cplc">The 42 value bytes.</param>
    /// <returns>Name and hex value of each field; empty if the length is wrong.</returns>
    public static IReadOnlyList<KeyValuePair<string, string>> Describe(ReadOnlySpan<byte> cplc)
    {
        var result = new List<KeyValuePair<string, string>>();
        if (cplc.Length != Length)
        {
            return result;
        }

        int at = 0;
        foreach (var (name, length) in Fields)
        {
            result.Add(new(name, Convert.ToHexString(cplc.Slice(at, length))));
            at += length;
        }

        return result;
    }
}

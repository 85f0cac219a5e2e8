namespace NanoAgent.VirtualSe.State;

/// <summary>
/// What a security domain (ISD or SSD) keeps beyond its registry entry: its SCP03 key sets, its sequence counter
/// (GP Amd D §6.2.2.1) and the personalisation data STORE DATA wrote (GPC v2.3.1 §11.11), one BER-TLV per tag.
/// </summary>
public sealed class SecurityDomainData
{
    /// <summary>The most key sets one security domain holds; PUT KEY beyond it answers '6A84'.</summary>
    public const int MaxKeySets = 8;

    /// <summary>The most personalisation bytes one security domain holds; STORE DATA beyond it answers '6A84'.</summary>
    public const int MaxStoredBytes = 4096;

    /// <summary>Gets or sets the key sets, in the order they were put.</summary>
    public List<KeySetRecord> KeySets { get; set; } = [];

    /// <summary>Gets or sets the last SCP03 sequence counter value used (0 before the first INITIALIZE UPDATE).</summary>
    public int SequenceCounter { get; set; }

    /// <summary>Gets or sets the personalisation data: upper-case hex tag → the whole TLV as STORE DATA sent it.</summary>
    public Dictionary<string, byte[]> StoredData { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Finds a key set by version; 0 means the first key set (INITIALIZE UPDATE P1 '00', Amd D §7.1.1).</summary>
    /// <param name="keyVersion">The key version number, or 0.</param>
    /// <returns>The key set, or null.</returns>
    public KeySetRecord? FindKeySet(byte keyVersion)
    {
        if (keyVersion == 0)
        {
            return KeySets.Count > 0 ? KeySets[0] : null;
        }

        return KeySets.Find(k => k.KeyVersion == keyVersion);
    }

    /// <summary>
    /// Finds the key set INITIALIZE UPDATE opens a session with: as <see cref="FindKeySet"/>, but never a request key
    /// (versions '60'-'6F', docs/protocol.md §3.9); 0 means the first other key set.
    /// </summary>
    /// <param name="keyVersion">The key version number, or 0.</param>
    /// <returns>The key set, or null.</returns>
    public KeySetRecord? FindScp03KeySet(byte keyVersion)
    {
        if (keyVersion == 0)
        {
            return KeySets.Find(k => !Drivers.Lifecycle.RequestKey.IsRequestKeyVersion(k.KeyVersion));
        }

        return Drivers.Lifecycle.RequestKey.IsRequestKeyVersion(keyVersion) ? null : FindKeySet(keyVersion);
    }

    /// <summary>Gets the bytes the personalisation data takes.</summary>
    /// <returns>The sum of the stored TLV lengths.</returns>
    public int StoredBytes()
    {
        int total = 0;
        foreach (byte[] value in StoredData.Values)
        {
            total += value.Length;
        }

        return total;
    }

    /// <summary>Checks the rules; returns the first broken one or null.</summary>
    /// <returns>A sentence or null.</returns>
    public string? Validate()
    {
        if (KeySets is null || StoredData is null || SequenceCounter is < 0 or > 0xFFFFFF)
        {
            return "key sets and stored data are required and the sequence counter is 24 bits";
        }

        var versions = new HashSet<byte>();
        foreach (KeySetRecord? k in KeySets)
        {
            if (k is null || !k.IsValid() || k.KeyVersion == 0 || !versions.Add(k.KeyVersion))
            {
                return "each key set needs a unique non-zero key version and three AES keys of one length 16, 24 or 32";
            }
        }

        return KeySets.Count > MaxKeySets ? $"at most {MaxKeySets} key sets" : null;
    }
}

namespace NanoAgent.Agent.Status
{
    /// <summary>
    /// What an SD says about its keys, filled by an <see cref="IKeyInfoSource"/>: the key version and length of its first key
    /// set (GPC v2.3.1 §11.3.3.1 Key Information Template) and its SCP03 sequence counter (GP Amd D §6.2.2.1), or -1 when
    /// the SE does not give it. No key material.
    /// </summary>
    public sealed class SdKeyInfo
    {
        /// <summary>Gets or sets the status word of the read: '9000', or that of the step that failed.</summary>
        public ushort Status { get; set; }

        /// <summary>Gets or sets the key version number of the first key set, or -1 when unknown.</summary>
        public int KeyVersion { get; set; }

        /// <summary>Gets or sets the key length in bytes (16, 24, 32), or -1 when unknown.</summary>
        public int KeyLength { get; set; }

        /// <summary>Gets or sets the number of key sets the template lists.</summary>
        public int KeySets { get; set; }

        /// <summary>Gets or sets the SCP03 sequence counter (24 bits), or -1 when the SE does not report it.</summary>
        public int SequenceCounter { get; set; }

        /// <summary>Resets every field to "unknown".</summary>
        public void Clear()
        {
            Status = 0x6F00;
            KeyVersion = -1;
            KeyLength = -1;
            KeySets = 0;
            SequenceCounter = -1;
        }
    }
}

namespace NanoAgent.Agent.Relay
{
    /// <summary>Why a stored relay record could not be read or written.</summary>
    public enum RelayStoreError
    {
        /// <summary>The record's first byte names a format version this code does not read.</summary>
        UnsupportedVersion = 1,

        /// <summary>The record is shorter than its header or its declared length.</summary>
        Truncated = 2,

        /// <summary>The record's CRC-16 does not match its content (a bit flip or a torn write).</summary>
        ChecksumMismatch = 3,

        /// <summary>The CRC matches but the content is not a valid store record (bad TLV, missing or bad fields).</summary>
        Malformed = 4,

        /// <summary>Both slots of a <see cref="TwoSlotRecordStorage"/> hold data, neither of it an intact record.</summary>
        NoIntactSlot = 5,

        /// <summary>A write to the storage failed; the store's state is what the storage holds (re-read after the failure).</summary>
        WriteFailed = 6,
    }
}

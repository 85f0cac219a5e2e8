namespace NanoAgent.Drivers.Gp
{
    /// <summary>How a <see cref="KeyRotation"/> ended. In every case the card keeps a key set that opens (see <see cref="KeyRotationResult"/>).</summary>
    public enum KeyRotationOutcome
    {
        /// <summary>The new keys open a session and the old key version is gone.</summary>
        Completed = 0,

        /// <summary>Old and new keys have the same key version: the procedure never replaces a key set in place. Nothing was sent.</summary>
        SameKeyVersion = 1,

        /// <summary>Neither the old nor the new keys open a session: nothing was changed.</summary>
        NoWorkingKeys = 2,

        /// <summary>The new key version exists on the card but does not open with the new keys (other keys, blocked, refused): nothing was changed.</summary>
        NewKeyVersionUnusable = 3,

        /// <summary>The card refused PUT KEY or confirmed other key check values; the old keys still work.</summary>
        PutKeyRejected = 4,

        /// <summary>The key set was added but the new keys do not open a session; the old key set was kept.</summary>
        NewKeysDoNotOpen = 5,

        /// <summary>The new keys work but the card refused to delete the old key version; both remain.</summary>
        DeleteRejected = 6,

        /// <summary>The new keys work; the old key version holds keys other than the old keys given, so it was left alone.</summary>
        OldKeyVersionUnverified = 7,
    }
}

namespace NanoAgent.Drivers.Gp
{
    /// <summary>The steps of a <see cref="KeyRotation"/>, in the order they can happen.</summary>
    public enum KeyRotationStep
    {
        /// <summary>Trying to open a session with the new keys (is the rotation already under way or done?).</summary>
        ProbeNew = 0,

        /// <summary>Trying to open a session with the old keys.</summary>
        ProbeOld = 1,

        /// <summary>PUT KEY adding the new key version (P1 '00'), in a session opened with the old keys.</summary>
        PutKey = 2,

        /// <summary>Opening a session with the new keys to prove they work.</summary>
        ProveNew = 3,

        /// <summary>DELETE of the old key version, in a session opened with the new keys.</summary>
        DeleteOld = 4,

        /// <summary>Checking that the old key version is gone.</summary>
        VerifyOldGone = 5,
    }
}

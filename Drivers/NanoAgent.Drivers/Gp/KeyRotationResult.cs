namespace NanoAgent.Drivers.Gp
{
    /// <summary>What a <see cref="KeyRotation"/> did and which keys open a session now.</summary>
    public sealed class KeyRotationResult
    {
        /// <summary>Creates a result.</summary>
        /// <param name="outcome">How the rotation ended.</param>
        /// <param name="oldStatus">The last outcome of opening a session with the old keys.</param>
        /// <param name="newStatus">The last outcome of opening a session with the new keys.</param>
        /// <param name="statusWord">The last status word the card answered.</param>
        /// <param name="keySetAdded">True when this run added the new key set with PUT KEY.</param>
        public KeyRotationResult(KeyRotationOutcome outcome, GpOpenStatus oldStatus, GpOpenStatus newStatus, ushort statusWord, bool keySetAdded)
        {
            Outcome = outcome;
            OldStatus = oldStatus;
            NewStatus = newStatus;
            StatusWord = statusWord;
            KeySetAdded = keySetAdded;
        }

        /// <summary>Gets how the rotation ended.</summary>
        public KeyRotationOutcome Outcome { get; }

        /// <summary>Gets the last outcome of opening a session with the old keys (<see cref="GpOpenStatus.KeyVersionNotFound"/> once deleted).</summary>
        public GpOpenStatus OldStatus { get; }

        /// <summary>Gets the last outcome of opening a session with the new keys.</summary>
        public GpOpenStatus NewStatus { get; }

        /// <summary>Gets the last status word the card answered.</summary>
        public ushort StatusWord { get; }

        /// <summary>Gets a value indicating whether this run added the new key set.</summary>
        public bool KeySetAdded { get; }

        /// <summary>Gets a value indicating whether the old keys open a session now.</summary>
        public bool OldKeysWork
        {
            get { return OldStatus == GpOpenStatus.Opened; }
        }

        /// <summary>Gets a value indicating whether the new keys open a session now.</summary>
        public bool NewKeysWork
        {
            get { return NewStatus == GpOpenStatus.Opened; }
        }
    }
}

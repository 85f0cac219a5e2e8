namespace NanoAgent.Drivers.Gp
{
    /// <summary>Hears each step of a <see cref="KeyRotation"/> as it completes, for a progress display or a log.</summary>
    public interface IKeyRotationObserver
    {
        /// <summary>Called after a step.</summary>
        /// <param name="step">The step.</param>
        /// <param name="succeeded">True when the step did what it is for.</param>
        /// <param name="openStatus">For the probe and prove steps, how opening the session ended; otherwise <see cref="GpOpenStatus.Opened"/>.</param>
        /// <param name="statusWord">The last status word the card answered.</param>
        void Step(KeyRotationStep step, bool succeeded, GpOpenStatus openStatus, ushort statusWord);
    }
}

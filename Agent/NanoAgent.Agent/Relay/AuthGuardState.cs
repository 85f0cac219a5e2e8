namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// The number a relay store keeps per tenant for the EXTERNAL AUTHENTICATE guard (<see cref="IRelayStore.GetAuthFailures"/>,
    /// docs/protocol.md §4.5): the consecutive failed EXTERNAL AUTHENTICATEs in the low 16 bits, and <see cref="GrantedBit"/>
    /// while an authenticated reset's one attempt is granted and not used yet. A store written before grants existed holds the
    /// count alone, which reads as "no attempt granted"; an older agent reading a newer store sees a count above its limit and
    /// withholds, the safe side.
    /// </summary>
    public static class AuthGuardState
    {
        /// <summary>The bit set while a reset's attempt is granted.</summary>
        public const int GrantedBit = 0x10000;

        /// <summary>The largest count kept (it stops there).</summary>
        public const int MaxFailures = 0xFFFF;

        /// <summary>Returns the consecutive failures of a stored number.</summary>
        /// <param name="stored">The stored number.</param>
        /// <returns>0 to <see cref="MaxFailures"/>.</returns>
        public static int Failures(int stored)
        {
            return stored & MaxFailures;
        }

        /// <summary>Returns whether a stored number holds a granted, unused attempt.</summary>
        /// <param name="stored">The stored number.</param>
        /// <returns>True when a reset granted an attempt.</returns>
        public static bool IsGranted(int stored)
        {
            return (stored & GrantedBit) != 0;
        }
    }
}

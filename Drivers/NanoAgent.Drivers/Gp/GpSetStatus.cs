namespace NanoAgent.Drivers.Gp
{
    /// <summary>SET STATUS (GPC v2.3.1 §11.10, INS 'F0'): life cycle changes of the card or of one entry.</summary>
    public static class GpSetStatus
    {
        /// <summary>P1 '40': an application or Supplementary Security Domain.</summary>
        public const byte ScopeEntry = 0x40;

        /// <summary>P1 '60': a Security Domain and its associated applications.</summary>
        public const byte ScopeDomainAndAssociated = 0x60;

        /// <summary>P2 for an entry: set the LOCKED bit (§5.3.2).</summary>
        public const byte Lock = 0x80;

        /// <summary>P2 for an entry: clear the LOCKED bit.</summary>
        public const byte Unlock = 0x00;

        /// <summary>Builds SET STATUS of the card (P1 '80'): 80 F0 80 state, for example '7F' CARD_LOCKED or 'FF' TERMINATED.</summary>
        /// <param name="cardState">The new card life cycle state (GPC §5.1.1).</param>
        /// <param name="apdu">Buffer receiving the command.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length, 4.</returns>
        /// <exception cref="Apdu.ApduException">The buffer is too small.</exception>
        public static int BuildCard(byte cardState, byte[] apdu, int offset)
        {
            GpApdu.Check(apdu, offset, 4);
            return GpApdu.Header(apdu, offset, GpApdu.Cla, 0xF0, 0x80, cardState, 0) - offset;
        }

        /// <summary>Builds SET STATUS of an entry: 80 F0 scope state Lc AID.</summary>
        /// <param name="scope"><see cref="ScopeEntry"/> or <see cref="ScopeDomainAndAssociated"/>.</param>
        /// <param name="state">The state control: <see cref="Lock"/>, <see cref="Unlock"/>, or a life cycle code.</param>
        /// <param name="aid">Buffer holding the AID.</param>
        /// <param name="aidOffset">First AID byte.</param>
        /// <param name="aidCount">AID length, 5 to 16.</param>
        /// <param name="apdu">Buffer receiving the command.</param>
        /// <param name="offset">Where the CLA byte goes.</param>
        /// <returns>The command length.</returns>
        /// <exception cref="Apdu.ApduException">The AID is not 5 to 16 bytes, or the buffer is too small.</exception>
        public static int BuildEntry(byte scope, byte state, byte[] aid, int aidOffset, int aidCount, byte[] apdu, int offset)
        {
            GpApdu.CheckAid(aid, aidOffset, aidCount);
            GpApdu.Check(apdu, offset, 5 + aidCount);
            int at = GpApdu.Header(apdu, offset, GpApdu.Cla, 0xF0, scope, state, aidCount);
            return GpApdu.Put(apdu, at, aid, aidOffset, aidCount) - offset;
        }
    }
}

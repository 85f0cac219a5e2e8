using System;

namespace NanoAgent.Drivers.Lifecycle
{
    /// <summary>
    /// When a tenant's SCP03 key set is due for rotation on a device that lives 20 years: after a number of sessions (the SE's
    /// sequence counter, GP Amd D §6.2.2.1, counts them) or a number of days, whichever comes first, and which key lengths the
    /// tenant accepts (AES-128, -192, -256; GP Amd D §6.1).
    /// </summary>
    public sealed class KeyPolicy
    {
        /// <summary>Creates a policy.</summary>
        /// <param name="maxSessions">Sessions after which to rotate (0: no session limit).</param>
        /// <param name="maxDays">Days after which to rotate (0: no age limit).</param>
        /// <param name="minKeyLength">The shortest key accepted, 16, 24 or 32 bytes.</param>
        /// <exception cref="ArgumentException">A value is out of range.</exception>
        public KeyPolicy(int maxSessions, int maxDays, int minKeyLength)
        {
            if (maxSessions < 0 || maxSessions > 0xFFFFFF || maxDays < 0 || (minKeyLength != 16 && minKeyLength != 24 && minKeyLength != 32))
            {
                throw new ArgumentException("Sessions and days are not negative; the key length is 16, 24 or 32.");
            }

            MaxSessions = maxSessions;
            MaxDays = maxDays;
            MinKeyLength = minKeyLength;
        }

        /// <summary>Gets the sessions after which to rotate (0: none).</summary>
        public int MaxSessions { get; }

        /// <summary>Gets the days after which to rotate (0: none).</summary>
        public int MaxDays { get; }

        /// <summary>Gets the shortest key length accepted, in bytes.</summary>
        public int MinKeyLength { get; }

        /// <summary>Tells whether a key set is due for rotation.</summary>
        /// <param name="counterAtRotation">The SE's sequence counter when the key set was put.</param>
        /// <param name="counterNow">The sequence counter now.</param>
        /// <param name="daysSinceRotation">Whole days since the key set was put.</param>
        /// <param name="keyLength">The key length in bytes.</param>
        /// <returns>True when the key set must be replaced.</returns>
        public bool IsDue(int counterAtRotation, int counterNow, int daysSinceRotation, int keyLength)
        {
            if (keyLength < MinKeyLength)
            {
                return true;
            }

            if (MaxSessions > 0 && counterNow - counterAtRotation >= MaxSessions)
            {
                return true;
            }

            // A counter close to its 24-bit end must rotate whatever the policy (Amd D §6.2.2.1: it does not wrap).
            if (counterNow >= 0xFFFF00)
            {
                return true;
            }

            return MaxDays > 0 && daysSinceRotation >= MaxDays;
        }
    }
}

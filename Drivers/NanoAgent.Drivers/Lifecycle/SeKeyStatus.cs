using System;
using System.Text;

namespace NanoAgent.Drivers.Lifecycle
{
    /// <summary>
    /// The key versions and sequence counters of the SE's security domains, as the agent publishes them in its status: a
    /// plain-text form, one domain a line, <c>sdAidHex kvn keyBits counter [due]</c> (hex KVN, decimal counter), for example
    /// <c>A0000001515350410C 03 256 17</c>. No key material: versions, lengths and counters only.
    /// </summary>
    public sealed class SeKeyStatus
    {
        /// <summary>The most domains one report holds.</summary>
        public const int MaxDomains = 16;

        private readonly byte[][] _aids = new byte[MaxDomains][];
        private readonly int[] _kvns = new int[MaxDomains];
        private readonly int[] _bits = new int[MaxDomains];
        private readonly int[] _counters = new int[MaxDomains];
        private readonly bool[] _due = new bool[MaxDomains];

        /// <summary>Gets the number of domains.</summary>
        public int Count { get; private set; }

        /// <summary>Adds a domain.</summary>
        /// <param name="sdAid">The SD AID.</param>
        /// <param name="keyVersion">The key version in use.</param>
        /// <param name="keyLength">The key length in bytes (16, 24, 32).</param>
        /// <param name="sequenceCounter">The SCP03 sequence counter.</param>
        /// <param name="rotationDue">Whether its <see cref="KeyPolicy"/> says the key set is due.</param>
        /// <returns>False when the report is full.</returns>
        /// <exception cref="ArgumentException">A value is out of range.</exception>
        public bool Add(byte[] sdAid, byte keyVersion, int keyLength, int sequenceCounter, bool rotationDue)
        {
            if (sdAid == null || sdAid.Length < 5 || sdAid.Length > 16 || (keyLength != 16 && keyLength != 24 && keyLength != 32)
                || sequenceCounter < 0 || sequenceCounter > 0xFFFFFF)
            {
                throw new ArgumentException("An SD AID of 5 to 16 bytes, a key length of 16, 24 or 32 and a 24-bit counter are required.");
            }

            if (Count == MaxDomains)
            {
                return false;
            }

            _aids[Count] = (byte[])sdAid.Clone();
            _kvns[Count] = keyVersion;
            _bits[Count] = keyLength * 8;
            _counters[Count] = sequenceCounter;
            _due[Count] = rotationDue;
            Count++;
            return true;
        }

        /// <summary>Returns the text form.</summary>
        /// <returns>One line per domain, each ending with a line feed.</returns>
        public string ToText()
        {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < Count; i++)
            {
                for (int j = 0; j < _aids[i].Length; j++)
                {
                    text.Append(_aids[i][j].ToString("X2"));
                }

                text.Append(' ').Append(_kvns[i].ToString("X2")).Append(' ').Append(_bits[i].ToString())
                    .Append(' ').Append(_counters[i].ToString());
                if (_due[i])
                {
                    text.Append(" due");
                }

                text.Append('\n');
            }

            return text.ToString();
        }
    }
}

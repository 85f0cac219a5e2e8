using NanoAgent.Drivers.Apdu;

namespace NanoAgent.Agent.Status
{
    /// <summary>
    /// Passes every APDU to the SE and counts the answered commands that change what the key status reports
    /// (docs/key-status.md): PUT KEY (INS 'D8', GPC v2.3.1 §11.8), DELETE (INS 'E4', §11.2: a key set, or a domain with its
    /// keys) and INSTALL (INS 'E6', §11.5: a new security domain), of a GlobalPlatform class (b8 set), answered '9000'.
    /// Their headers stay in clear under SCP03 (GP Amd D §6.2.4), so a relay that cannot read a tenant's script still sees
    /// that it changed keys. The agent publishes the key status again when <see cref="Changes"/> moved.
    /// </summary>
    public sealed class KeyChangeWatch : IApduTransport
    {
        private const byte InsPutKey = 0xD8;
        private const byte InsDelete = 0xE4;
        private const byte InsInstall = 0xE6;

        private readonly IApduTransport _inner;
        private readonly object _lock = new object();
        private int _changes;

        /// <summary>Wraps a transport.</summary>
        /// <param name="inner">The SE link; not owned.</param>
        public KeyChangeWatch(IApduTransport inner)
        {
            _inner = inner;
        }

        /// <summary>Gets how many key-changing commands the SE accepted so far.</summary>
        public int Changes
        {
            get
            {
                lock (_lock)
                {
                    return _changes;
                }
            }
        }

        /// <summary>Tells whether a command is one that changes the key status when the SE accepts it.</summary>
        /// <param name="command">The buffer.</param>
        /// <param name="offset">The first byte of the command.</param>
        /// <param name="count">The command's length.</param>
        /// <returns>True for PUT KEY, DELETE and INSTALL of a GlobalPlatform class.</returns>
        public static bool ChangesKeys(byte[] command, int offset, int count)
        {
            if (command == null || count < 4)
            {
                return false;
            }

            byte cla = command[offset];
            byte ins = command[offset + 1];
            return (cla & 0x80) != 0 && cla != 0xFF && (ins == InsPutKey || ins == InsDelete || ins == InsInstall);
        }

        /// <inheritdoc />
        public int Transceive(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset)
        {
            int n = _inner.Transceive(command, commandOffset, commandCount, response, responseOffset);
            if (n >= 2 && response[responseOffset + n - 2] == 0x90 && response[responseOffset + n - 1] == 0x00
                && ChangesKeys(command, commandOffset, commandCount))
            {
                lock (_lock)
                {
                    _changes++;
                }
            }

            return n;
        }
    }
}

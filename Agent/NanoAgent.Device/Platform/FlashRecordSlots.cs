using System.IO;
using NanoAgent.Agent.Relay;

namespace NanoAgent.Device.Platform
{
    /// <summary>
    /// The two snapshot slots of <see cref="TwoSlotRecordStorage"/> as two files on the board's storage drive (nanoFramework
    /// System.IO.FileSystem). Two slots rather than temp file + rename: that library's <c>File.Move</c> refuses an existing
    /// destination, so replacing a file would need a delete first, leaving a moment with no file at all. A power cut while
    /// a slot file is rewritten tears only that file; the CRC and sequence number of the frame pick the other one.
    /// </summary>
    public sealed class FlashRecordSlots : IRecordSlots
    {
        private readonly string _pathA;
        private readonly string _pathB;

        /// <summary>Creates the slots as <c>prefix + ".a"</c> and <c>prefix + ".b"</c>.</summary>
        /// <param name="pathPrefix">Path without extension, for example <c>I:\relay</c> (the board's storage drive).</param>
        public FlashRecordSlots(string pathPrefix)
        {
            _pathA = pathPrefix + ".a";
            _pathB = pathPrefix + ".b";
        }

        /// <inheritdoc />
        public byte[] ReadSlot(int slot)
        {
            string path = slot == 0 ? _pathA : _pathB;
            // A short read is a torn slot: what is there comes back, the frame check rejects it.
            return FlashFile.ReadAll(path);
        }

        /// <inheritdoc />
        public void WriteSlot(int slot, byte[] data, int offset, int count)
        {
            using (FileStream stream = new FileStream(slot == 0 ? _pathA : _pathB, FileMode.Create, FileAccess.Write))
            {
                stream.Write(data, offset, count);
                stream.Flush();
            }
        }
    }
}

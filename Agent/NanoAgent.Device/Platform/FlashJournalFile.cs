using System.IO;
using NanoAgent.Agent.Relay;

namespace NanoAgent.Device.Platform
{
    /// <summary>
    /// The relay store's journal (<see cref="IJournalStorage"/>) as one file on the board's storage drive (nanoFramework
    /// System.IO.FileSystem). An append opens the file with <c>FileMode.Append</c>, writes and flushes; a restart
    /// recreates it. A power cut leaves a prefix of the last write, which the records' CRC rejects.
    /// </summary>
    public sealed class FlashJournalFile : IJournalStorage
    {
        private readonly string _path;

        /// <summary>Creates the journal at <paramref name="path"/>.</summary>
        /// <param name="path">The file, for example <c>I:\relay.j</c>.</param>
        public FlashJournalFile(string path)
        {
            _path = path;
        }

        /// <inheritdoc />
        public byte[] Read()
        {
            return FlashFile.ReadAll(_path);
        }

        /// <inheritdoc />
        public void Append(byte[] data, int offset, int count)
        {
            Write(FileMode.Append, data, offset, count);
        }

        /// <inheritdoc />
        public void Reset(byte[] data, int offset, int count)
        {
            Write(FileMode.Create, data, offset, count);
        }

        private void Write(FileMode mode, byte[] data, int offset, int count)
        {
            using (FileStream stream = new FileStream(_path, mode, FileAccess.Write))
            {
                stream.Write(data, offset, count);
                stream.Flush();
            }
        }
    }
}

using System.IO;

namespace NanoAgent.Device.Platform
{
    /// <summary>Reads a whole file of the board's file system, as the relay store's slots and journal need it.</summary>
    internal static class FlashFile
    {
        /// <summary>Reads every byte the file holds; a short read (a torn file) returns the bytes that were read.</summary>
        /// <param name="path">The file.</param>
        /// <returns>The bytes, or null when the file does not exist.</returns>
        public static byte[] ReadAll(string path)
        {
            if (!File.Exists(path))
            {
                return null;
            }

            using (FileStream stream = new FileStream(path, FileMode.Open, FileAccess.Read))
            {
                byte[] data = new byte[(int)stream.Length];
                int read = 0;
                while (read < data.Length)
                {
                    int n = stream.Read(data, read, data.Length - read);
                    if (n <= 0)
                    {
                        break;
                    }

                    read += n;
                }

                if (read == data.Length)
                {
                    return data;
                }

                byte[] prefix = new byte[read];
                System.Array.Copy(data, prefix, read);
                return prefix;
            }
        }
    }
}

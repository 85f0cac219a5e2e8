using System;

namespace NanoAgent.Boards
{
    /// <summary>
    /// The boards nanoAgent knows. The list is fixed at build time and never changes, so it is shared read-only data, not state.
    /// </summary>
    public static class BoardCatalog
    {
        private static readonly BoardDefinition[] _boards = new BoardDefinition[]
        {
            Esp32DevKitC.Create(),
            Esp32S3DevKitC.Create(),
            NucleoF746zg.Create(),
            Stm32F769iDiscovery.Create(),
        };

        /// <summary>Gets how many boards there are.</summary>
        public static int Count
        {
            get { return _boards.Length; }
        }

        /// <summary>Gets the board at <paramref name="index"/>.</summary>
        /// <param name="index">0 to <see cref="Count"/> - 1.</param>
        /// <returns>The board.</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
        public static BoardDefinition GetAt(int index)
        {
            if (index < 0 || index >= _boards.Length)
            {
                throw new ArgumentOutOfRangeException("index");
            }

            return _boards[index];
        }

        /// <summary>Finds a board by id, ignoring ASCII case.</summary>
        /// <param name="id">An id such as "esp32-devkitc".</param>
        /// <returns>The board, or null if no board has that id.</returns>
        public static BoardDefinition Find(string id)
        {
            if (id == null)
            {
                return null;
            }

            for (int i = 0; i < _boards.Length; i++)
            {
                if (EqualsIgnoreCase(_boards[i].Id, id))
                {
                    return _boards[i];
                }
            }

            return null;
        }

        /// <summary>Lists the ids, comma separated, for "unknown board" messages.</summary>
        /// <returns>Such as "esp32-devkitc, esp32-s3-devkitc, ...".</returns>
        public static string DescribeIds()
        {
            string ids = string.Empty;
            for (int i = 0; i < _boards.Length; i++)
            {
                ids = i == 0 ? _boards[i].Id : ids + ", " + _boards[i].Id;
            }

            return ids;
        }

        /// <summary>Returns the distinct storage drives of the boards, in catalog order: where the firmware looks for its configuration before it knows the board.</summary>
        /// <returns>A new array, such as { "I:\", "D:\" }.</returns>
        public static string[] StorageRoots()
        {
            string[] roots = new string[_boards.Length];
            int count = 0;
            for (int i = 0; i < _boards.Length; i++)
            {
                string root = _boards[i].Firmware.StorageRoot;
                bool seen = false;
                for (int j = 0; j < count; j++)
                {
                    seen = seen || roots[j] == root;
                }

                if (!seen)
                {
                    roots[count++] = root;
                }
            }

            string[] distinct = new string[count];
            System.Array.Copy(roots, distinct, count);
            return distinct;
        }

        // nanoFramework's string has no culture-aware comparisons: fold ASCII by hand.
        private static bool EqualsIgnoreCase(string a, string b)
        {
            if (a.Length != b.Length)
            {
                return false;
            }

            for (int i = 0; i < a.Length; i++)
            {
                if (Lower(a[i]) != Lower(b[i]))
                {
                    return false;
                }
            }

            return true;
        }

        private static char Lower(char c)
        {
            return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
        }
    }
}

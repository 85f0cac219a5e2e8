namespace NanoAgent.Boards
{
    /// <summary>
    /// What a board's nanoFramework firmware must offer nanoAgent: where files live (the drive of the configuration,
    /// platform keys and relay store), the longest AES key its native <c>Aes</c> runs, and the native assemblies the
    /// application needs, each with the firmware target or build options that provide it.
    /// </summary>
    public sealed class BoardFirmware
    {
        /// <summary>nanoFramework's native Aes sets its key through mbedTLS for AES-128 only: 16 bytes.</summary>
        public const int NativeAesKeyLength = 16;

        private readonly NativeRequirement[] _required;

        /// <summary>Creates the firmware requirements.</summary>
        /// <param name="storageRoot">The drive root that holds nanoAgent's files, such as <c>I:\</c>.</param>
        /// <param name="storageNote">What that drive is on this board (internal flash, SD card) and what it needs.</param>
        /// <param name="maxAesKeyLength">The longest AES key the firmware's Aes runs, in bytes.</param>
        /// <param name="required">The native assemblies the application needs.</param>
        public BoardFirmware(string storageRoot, string storageNote, int maxAesKeyLength, NativeRequirement[] required)
        {
            StorageRoot = storageRoot;
            StorageNote = storageNote;
            MaxAesKeyLength = maxAesKeyLength;
            _required = required;
        }

        /// <summary>Gets the drive root that holds nanoAgent's files, ending in a backslash.</summary>
        public string StorageRoot { get; }

        /// <summary>Gets what that drive is on this board and what it needs.</summary>
        public string StorageNote { get; }

        /// <summary>Gets the longest AES key the firmware's Aes runs, in bytes.</summary>
        public int MaxAesKeyLength { get; }

        /// <summary>Gets the configuration file's path.</summary>
        public string ConfigPath
        {
            get { return StorageRoot + "nanoagent.conf"; }
        }

        /// <summary>Gets the relay store's path prefix (snapshot slots <c>.a</c>/<c>.b</c>, journal <c>.j</c>).</summary>
        public string RelayStorePrefix
        {
            get { return StorageRoot + "relay"; }
        }

        /// <summary>Gets how many native assemblies are required.</summary>
        public int RequiredCount
        {
            get { return _required.Length; }
        }

        /// <summary>Gets a required native assembly.</summary>
        /// <param name="index">0 to <see cref="RequiredCount"/> - 1.</param>
        /// <returns>The requirement.</returns>
        public NativeRequirement RequiredAt(int index)
        {
            return _required[index];
        }

        /// <summary>Finds the requirement for a native assembly.</summary>
        /// <param name="assembly">Such as <see cref="NativeRequirement.FileSystem"/>.</param>
        /// <returns>The requirement, or null when this board does not list it.</returns>
        public NativeRequirement Find(string assembly)
        {
            for (int i = 0; i < _required.Length; i++)
            {
                if (_required[i].Assembly == assembly)
                {
                    return _required[i];
                }
            }

            return null;
        }

        /// <summary>Says in plain words that a native assembly is missing and how to get a firmware that has it.</summary>
        /// <param name="assembly">The missing assembly.</param>
        /// <param name="detail">What the probe saw (an exception message), or null.</param>
        /// <returns>One line for the boot log.</returns>
        public string DescribeMissing(string assembly, string detail)
        {
            NativeRequirement requirement = Find(assembly);
            string line = "the firmware lacks the native assembly " + assembly;
            if (requirement != null)
            {
                line = line + " (needed for " + requirement.UsedFor + "); flash a firmware with it: " + requirement.HowToGet;
            }

            return detail == null ? line : line + " [" + detail + "]";
        }
    }
}

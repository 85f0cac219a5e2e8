namespace NanoAgent.Boards
{
    /// <summary>
    /// A native assembly the firmware must contain for nanoAgent to deploy and run, and how a board's firmware gets it.
    /// </summary>
    public sealed class NativeRequirement
    {
        /// <summary>The native part of System.IO.FileSystem (configuration, platform keys, relay store).</summary>
        public const string FileSystem = "System.IO.FileSystem";

        /// <summary>The native part of System.Security.Cryptography (AES for platform SCP03).</summary>
        public const string Cryptography = "nanoFramework.System.Security.Cryptography";

        /// <summary>Creates a requirement.</summary>
        /// <param name="assembly">The native assembly's name, as the deployment and the firmware's device capabilities list it.</param>
        /// <param name="usedFor">What nanoAgent needs it for.</param>
        /// <param name="howToGet">The firmware target or build options that provide it on this board.</param>
        public NativeRequirement(string assembly, string usedFor, string howToGet)
        {
            Assembly = assembly;
            UsedFor = usedFor;
            HowToGet = howToGet;
        }

        /// <summary>Gets the native assembly's name.</summary>
        public string Assembly { get; }

        /// <summary>Gets what nanoAgent needs it for.</summary>
        public string UsedFor { get; }

        /// <summary>Gets the firmware target or build options that provide it on this board.</summary>
        public string HowToGet { get; }
    }
}

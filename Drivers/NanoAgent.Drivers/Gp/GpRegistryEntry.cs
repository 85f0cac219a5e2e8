namespace NanoAgent.Drivers.Gp
{
    /// <summary>One registry entry as GET STATUS reports it in an 'E3' template (GPC v2.3.1 §11.4.3.1, Table 11-36).</summary>
    public sealed class GpRegistryEntry
    {
        /// <summary>Gets the AID ('4F').</summary>
        public byte[] Aid { get; internal set; }

        /// <summary>Gets the life cycle state ('9F70', first byte).</summary>
        public byte LifeCycle { get; internal set; }

        /// <summary>Gets the privileges ('C5'), empty when absent.</summary>
        public byte[] Privileges { get; internal set; }

        /// <summary>Gets the AID of the Executable Load File ('C4'), or null.</summary>
        public byte[] ExecutableLoadFile { get; internal set; }

        /// <summary>Gets the AID of the associated Security Domain ('CC'), or null.</summary>
        public byte[] AssociatedSecurityDomain { get; internal set; }

        /// <summary>Gets the number of Executable Module AIDs ('84') listed.</summary>
        public int ModuleCount { get; internal set; }

        /// <summary>Gets a value indicating whether privilege byte 1 b8 (Security Domain) is set.</summary>
        public bool IsSecurityDomain
        {
            get { return Privileges != null && Privileges.Length > 0 && (Privileges[0] & 0x80) != 0; }
        }
    }
}

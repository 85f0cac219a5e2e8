namespace NanoAgent.Agent.Runtime
{
    /// <summary>One configured sensor: its id, the tenants its signed readings go to, and how it is read and how often.</summary>
    public sealed class SensorSpec
    {
        /// <summary>Creates a sensor read by the platform's driver of that id, at the default interval, with the driver's unit.</summary>
        /// <param name="id">The sensor id (a topic level).</param>
        /// <param name="tenants">The tenant ids its readings go to (each needs a gate).</param>
        /// <param name="line">The configuration line that declared it, or 0.</param>
        public SensorSpec(string id, string[] tenants, int line)
        {
            Id = id;
            Tenants = tenants;
            Line = line;
            Source = SensorSource.Platform;
        }

        /// <summary>Gets the sensor id.</summary>
        public string Id { get; }

        /// <summary>Gets the tenants its readings go to.</summary>
        public string[] Tenants { get; }

        /// <summary>Gets the line that declared it (0 when not read from a file).</summary>
        public int Line { get; }

        /// <summary>Gets or sets where readings come from.</summary>
        public SensorSource Source { get; set; }

        /// <summary>Gets or sets the source's argument: the meter quantity ("energy" or "voltage") or the command line; else null.</summary>
        public string SourceArgument { get; set; }

        /// <summary>Gets or sets the unit put in each reading, or null for the driver's own.</summary>
        public string Unit { get; set; }

        /// <summary>Gets or sets the interval between readings in milliseconds, or 0 for the agent's default.</summary>
        public int IntervalMs { get; set; }

        /// <summary>Gets or sets an attested sensor's 7-bit address on the SE's I2C bus.</summary>
        public int I2cAddress { get; set; }

        /// <summary>Gets or sets what an attested read writes first (the register pointer), or null.</summary>
        public byte[] I2cWrite { get; set; }

        /// <summary>Gets or sets how many bytes an attested read reads.</summary>
        public int I2cReadLength { get; set; }
    }
}

namespace NanoAgent.Agent.Runtime
{
    /// <summary>One configured actuator: its id, the one tenant allowed to command it, and what it drives.</summary>
    public sealed class ActuatorSpec
    {
        /// <summary>Creates an actuator driven by the platform's driver of that id.</summary>
        /// <param name="id">The actuator id.</param>
        /// <param name="tenant">The tenant allowed to command it (needs a gate).</param>
        /// <param name="line">The configuration line that declared it, or 0.</param>
        public ActuatorSpec(string id, string tenant, int line)
        {
            Id = id;
            Tenant = tenant;
            Line = line;
            Drive = ActuatorDrive.Platform;
        }

        /// <summary>Gets the actuator id.</summary>
        public string Id { get; }

        /// <summary>Gets the tenant allowed to command it.</summary>
        public string Tenant { get; }

        /// <summary>Gets the line that declared it (0 when not read from a file).</summary>
        public int Line { get; }

        /// <summary>Gets or sets what it drives.</summary>
        public ActuatorDrive Drive { get; set; }

        /// <summary>Gets or sets the GPIO pin number when <see cref="Drive"/> is <see cref="ActuatorDrive.Pin"/>.</summary>
        public int Pin { get; set; }

        /// <summary>Gets or sets the command line when <see cref="Drive"/> is <see cref="ActuatorDrive.Command"/>.</summary>
        public string Command { get; set; }
    }
}

namespace NanoAgent.Agent.Runtime
{
    /// <summary>What a configured actuator drives (<c>actuator.&lt;id&gt;.pin</c> or <c>actuator.&lt;id&gt;.command</c>).</summary>
    public enum ActuatorDrive
    {
        /// <summary>Neither line: the platform supplies a driver under the actuator's id (the board's sample relay, for example).</summary>
        Platform = 0,

        /// <summary>A GPIO output: command byte 00 sets it low, 01 high.</summary>
        Pin = 1,

        /// <summary>A command run by the host (Linux) with the verified command bytes, in hex, as its one argument.</summary>
        Command = 2,
    }
}

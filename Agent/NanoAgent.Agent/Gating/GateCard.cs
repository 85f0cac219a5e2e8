namespace NanoAgent.Agent.Gating
{
    /// <summary>
    /// Which card holds the gates' keys and counters (docs/se05x.md): the gates file's <c>se.card</c>, the backends'
    /// <c>--card</c>. It decides the gate implementation on the agent and the MAC input order and KCV on the backends.
    /// </summary>
    public enum GateCard
    {
        /// <summary>A GlobalPlatform SE with nanoAgent's gate applet (<see cref="GateAppletClient"/>, docs/gating.md): <c>se.card = gp</c>.</summary>
        GateApplet = 0,

        /// <summary>An NXP SE05x with its IoT applet only (<see cref="Se05xReadingGate"/>, <see cref="Se05xCommandGate"/>): <c>se.card = se05x</c>.</summary>
        Se05x = 1,
    }
}

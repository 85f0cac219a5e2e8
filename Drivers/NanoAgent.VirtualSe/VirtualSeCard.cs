namespace NanoAgent.VirtualSe;

/// <summary>Which card a virtual SE carries (the command line's <c>--card gp|se05x</c>).</summary>
public enum VirtualSeCard
{
    /// <summary>The GlobalPlatform card: card manager, security domains, our gate applet and request verifier.</summary>
    Gp,

    /// <summary>An NXP SE05x: a minimal card manager and NXP's IoT applet (AN12413), SE05x T=1 over I2C only.</summary>
    Se05x,
}

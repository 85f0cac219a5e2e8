namespace NanoAgent.VirtualSe.State;

/// <summary>What a GlobalPlatform registry entry describes (GPC v2.3.1 §6.6, GET STATUS P1 subsets §11.4.2.1).</summary>
public enum RegistryEntryKind
{
    /// <summary>The Issuer Security Domain; exactly one per card.</summary>
    IssuerSecurityDomain,

    /// <summary>A Supplementary Security Domain.</summary>
    SecurityDomain,

    /// <summary>An application instance.</summary>
    Application,

    /// <summary>An Executable Load File, with its Executable Modules.</summary>
    ExecutableLoadFile,
}

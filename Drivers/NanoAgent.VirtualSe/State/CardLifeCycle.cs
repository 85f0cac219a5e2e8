namespace NanoAgent.VirtualSe.State;

/// <summary>Card life cycle states with their GlobalPlatform codes (GPC v2.3.1 §5.1.1).</summary>
public enum CardLifeCycle : byte
{
    /// <summary>OP_READY ('01'): the runtime is ready, the ISD is the selectable default.</summary>
    OpReady = 0x01,

    /// <summary>INITIALIZED ('07'): issuer initial data loaded.</summary>
    Initialized = 0x07,

    /// <summary>SECURED ('0F'): the issuer's security policy is in force; normal field state.</summary>
    Secured = 0x0F,

    /// <summary>CARD_LOCKED ('7F'): only the ISD may be selected (GPC §5.1.1.4).</summary>
    CardLocked = 0x7F,

    /// <summary>TERMINATED ('FF'): irreversible; the card answers GET DATA only (GPC §5.1.1.5).</summary>
    Terminated = 0xFF,
}

namespace NanoAgent.VirtualSe.State;

/// <summary>What identifies the card: CPLC, Issuer Identification Number and Card Image Number (GPC v2.3.1 §7.4.1, §H.6).</summary>
public sealed class CardIdentity
{
    /// <summary>Gets or sets the Card Production Life Cycle data.</summary>
    public Cplc Cplc { get; set; } = new();

    /// <summary>Gets or sets the Issuer Identification Number (GET DATA '0042').</summary>
    public byte[] Iin { get; set; } = [];

    /// <summary>Gets or sets the Card Image Number (GET DATA '0045').</summary>
    public byte[] Cin { get; set; } = [];
}

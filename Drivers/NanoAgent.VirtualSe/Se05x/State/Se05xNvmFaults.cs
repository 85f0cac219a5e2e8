namespace NanoAgent.VirtualSe.Se05x.State;

/// <summary>
/// Power cuts a test arms on the virtual SE05x's non-volatile memory: the <see cref="CutAtCommit"/>-th commit from now
/// loses power at <see cref="Where"/>. A cut card answers nothing and restarts from what the store holds, so a test can
/// prove every command leaves the state before or after it, never half-way.
/// </summary>
public sealed class Se05xNvmFaults
{
    /// <summary>Gets or sets which commit from now is cut: 1 the next one, 0 none.</summary>
    public int CutAtCommit { get; set; }

    /// <summary>Gets or sets where in the commit the power goes.</summary>
    public Se05xPowerCut Where { get; set; }

    /// <summary>Gets how many cuts have struck.</summary>
    public int Cuts { get; internal set; }

    /// <summary>Counts one commit; true when this one is to be cut (the fault then disarms itself).</summary>
    internal bool Strikes()
    {
        if (CutAtCommit <= 0)
        {
            return false;
        }

        if (--CutAtCommit > 0)
        {
            return false;
        }

        Cuts++;
        return true;
    }
}

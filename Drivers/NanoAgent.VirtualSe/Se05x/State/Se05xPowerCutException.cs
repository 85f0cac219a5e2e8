namespace NanoAgent.VirtualSe.Se05x.State;

/// <summary>Thrown inside the virtual SE05x when an armed power cut strikes a commit; the card catches it and restarts.</summary>
public sealed class Se05xPowerCutException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="where">Where the cut struck.</param>
    public Se05xPowerCutException(Se05xPowerCut where)
        : base($"Power cut ({where}) during an NVM commit of the virtual SE05x.")
    {
        Where = where;
    }

    /// <summary>Gets where the cut struck.</summary>
    public Se05xPowerCut Where { get; }
}

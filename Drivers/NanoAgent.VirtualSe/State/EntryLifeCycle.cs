namespace NanoAgent.VirtualSe.State;

/// <summary>
/// Life cycle codes of registry entries other than the ISD (GPC v2.3.1 §5.2, §5.3)
/// and the rule that says which of them may be selected.
/// </summary>
public static class EntryLifeCycle
{
    /// <summary>Executable Load File LOADED ('01').</summary>
    public const byte Loaded = 0x01;

    /// <summary>Application or Security Domain INSTALLED ('03'): not yet selectable.</summary>
    public const byte Installed = 0x03;

    /// <summary>Application or Security Domain SELECTABLE ('07').</summary>
    public const byte Selectable = 0x07;

    /// <summary>Security Domain PERSONALIZED ('0F').</summary>
    public const byte Personalized = 0x0F;

    /// <summary>The LOCKED bit ('80'), set on top of the state the entry had when locked.</summary>
    public const byte LockedBit = 0x80;

    /// <summary>
    /// Tells whether an application or Supplementary Security Domain in this state may be selected: the SELECTABLE bits
    /// are set and the LOCKED bit is not (GPC §5.3.1: application-specific states keep b1-b3 set).
    /// </summary>
    /// <param name="lifeCycle">The entry's life cycle byte.</param>
    /// <returns>True when selectable.</returns>
    public static bool IsSelectable(byte lifeCycle)
    {
        return (lifeCycle & LockedBit) == 0 && (lifeCycle & Selectable) == Selectable;
    }
}

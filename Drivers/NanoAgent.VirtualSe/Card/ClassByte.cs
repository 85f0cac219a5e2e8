namespace NanoAgent.VirtualSe.Card;

/// <summary>
/// A decoded CLA byte (ISO/IEC 7816-4 §5.4.1; GPC v2.3.1 §11.1.4): interindustry or GlobalPlatform
/// proprietary class, logical channel 0-19, secure messaging indication, command chaining.
/// </summary>
public readonly struct ClassByte
{
    private ClassByte(byte cla, int channel, bool secureMessaging, bool chaining)
    {
        Value = cla;
        Channel = channel;
        SecureMessaging = secureMessaging;
        Chaining = chaining;
    }

    /// <summary>Gets the CLA byte.</summary>
    public byte Value { get; }

    /// <summary>Gets the logical channel number, 0 to 19.</summary>
    public int Channel { get; }

    /// <summary>Gets a value indicating whether secure messaging is indicated.</summary>
    public bool SecureMessaging { get; }

    /// <summary>Gets a value indicating whether the command chaining bit is set.</summary>
    public bool Chaining { get; }

    /// <summary>Gets a value indicating whether b8 is set: a GlobalPlatform (proprietary) command class.</summary>
    public bool IsProprietary => (Value & 0x80) != 0;

    /// <summary>Decodes a CLA byte.</summary>
    /// <param name="cla">The byte.</param>
    /// <param name="decoded">The decoded class when valid.</param>
    /// <returns>False for the RFU and invalid codings ('20'-'3F', 'A0'-'BF', 'FF'), which get '6E00'.</returns>
    public static bool TryDecode(byte cla, out ClassByte decoded)
    {
        decoded = default;
        if (cla == 0xFF || (cla & 0x60) == 0x20)
        {
            // ISO 7816-4 §5.4.1: '001x xxxx' is RFU and 'FF' is invalid; GP mirrors the codings with b8 set.
            return false;
        }

        if ((cla & 0x40) == 0)
        {
            // First interindustry values 'x00x xxxx': b5 chaining, b4-b3 SM, b2-b1 channel 0-3.
            decoded = new ClassByte(cla, cla & 0x03, (cla & 0x0C) != 0, (cla & 0x10) != 0);
        }
        else
        {
            // Further interindustry values 'x1xx xxxx': b6 SM, b5 chaining, b4-b1 channel 4-19.
            decoded = new ClassByte(cla, 4 + (cla & 0x0F), (cla & 0x20) != 0, (cla & 0x10) != 0);
        }

        return true;
    }
}

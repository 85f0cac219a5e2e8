namespace NanoAgent.VirtualSe.Se05x;

/// <summary>The applet's TLV tags (se05x_enums.h SE05x_TAG_t; AN12413 §4.4).</summary>
internal static class Se05xTags
{
    public const int SessionId = 0x10;
    public const int Policy = 0x11;
    public const int MaxAttempts = 0x12;
    public const int PolicyCheck = 0x15;
    public const int Tag1 = 0x41;
    public const int Tag2 = 0x42;
    public const int Tag3 = 0x43;
    public const int Tag4 = 0x44;
    public const int Tag5 = 0x45;
    public const int Tag6 = 0x46;
    public const int Tag7 = 0x47;
    public const int Tag11 = 0x4B;
    public const int Timestamp = 0x4F;
    public const int Signature = 0x52;
}

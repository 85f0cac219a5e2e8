using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Host.Gp;

/// <summary>Where and how to open a session.</summary>
/// <param name="SdAid">The security domain.</param>
/// <param name="Keys">Its keys.</param>
/// <param name="Level">The security level.</param>
/// <param name="S16">S16 mode.</param>
public sealed record GpSettings(byte[] SdAid, Scp03StaticKeys Keys, byte Level, bool S16)
{
    /// <summary>Gets the challenge length: 16 in S16 mode, else 8.</summary>
    public int ChallengeLength => S16 ? 16 : 8;
}

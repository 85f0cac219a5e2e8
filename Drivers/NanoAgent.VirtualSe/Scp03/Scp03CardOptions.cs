using System.Security.Cryptography;

namespace NanoAgent.VirtualSe.Scp03;

/// <summary>
/// How the virtual card runs SCP03: its i parameter, security domain AID, key diversification data, sequence counter store
/// and random source.
/// </summary>
public sealed class Scp03CardOptions
{
    /// <summary>Gets the i parameter (GP Amd D §5.1); default 70: pseudo-random challenge, R-MAC and R-ENC supported, S8 mode.</summary>
    public byte IParameter { get; init; } = 0x70;

    /// <summary>Gets the AID of the security domain, used to compute pseudo-random challenges (§6.2.2.1).</summary>
    public byte[] SecurityDomainAid { get; init; } = Convert.FromHexString("A000000151000000");

    /// <summary>Gets the 10 bytes of key diversification data returned by INITIALIZE UPDATE.</summary>
    public byte[] KeyDiversificationData { get; init; } = new byte[10];

    /// <summary>Gets where the sequence counter persists.</summary>
    public ISequenceCounterStore SequenceCounter { get; init; } = new InMemorySequenceCounterStore();

    /// <summary>
    /// Gets a value indicating whether the encryption counter counts only commands that carry data: the SE050's platform
    /// channel (IoT applet below 4.3, NXP middleware fsl_sss_se05x_apis.c and nxScp03_Com.c) instead of GP Amd D v1.1.1
    /// §6.2.6 (every command). Responses then take their ICV from the counter of the last command with data.
    /// </summary>
    public bool CountCommandsWithDataOnly { get; init; }

    /// <summary>Gets the source of random card challenges (when the i parameter says random); default is the OS generator.</summary>
    public Action<byte[]> Random { get; init; } = static buffer => RandomNumberGenerator.Fill(buffer);
}

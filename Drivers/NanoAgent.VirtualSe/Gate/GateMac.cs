using System.Buffers.Binary;
using NanoAgent.Drivers.Crypto;
using NanoAgent.VirtualSe.Scp03;

namespace NanoAgent.VirtualSe.Gate;

/// <summary>
/// The gate's MAC input and key check value (docs/gating.md §MAC input):
/// <c>label (3 ASCII bytes "RDG" or "CMD") || len(AID) (1) || AID || counter (8, big-endian) || data</c>, MAC = full
/// 16-byte AES-CMAC (NIST SP 800-38B). KCV = first 3 bytes of AES-ECB(key, 16 × '01') (GP Amd D §7.2 convention).
/// </summary>
public static class GateMac
{
    /// <summary>The label of reading MACs: "RDG".</summary>
    public static readonly byte[] ReadingLabel = "RDG"u8.ToArray();

    /// <summary>The label of command MACs: "CMD".</summary>
    public static readonly byte[] CommandLabel = "CMD"u8.ToArray();

    /// <summary>The longest MAC input: label, AID length, a 16-byte AID, counter and 255 data bytes.</summary>
    public const int MaxInputLength = 3 + 1 + 16 + 8 + 255;

    /// <summary>Writes the MAC input; returns its length.</summary>
    /// <param name="output">Destination, at least <see cref="MaxInputLength"/> bytes.</param>
    /// <param name="label">"RDG" or "CMD".</param>
    /// <param name="aid">The gate instance AID.</param>
    /// <param name="counter">The counter.</param>
    /// <param name="data">The reading or the command payload.</param>
    /// <returns>The input length.</returns>
    public static int BuildInput(Span<byte> output, ReadOnlySpan<byte> label, ReadOnlySpan<byte> aid, ulong counter, ReadOnlySpan<byte> data)
    {
        label.CopyTo(output);
        int at = label.Length;
        output[at++] = (byte)aid.Length;
        aid.CopyTo(output[at..]);
        at += aid.Length;
        BinaryPrimitives.WriteUInt64BigEndian(output[at..], counter);
        at += 8;
        data.CopyTo(output[at..]);
        return at + data.Length;
    }

    /// <summary>Computes the 16-byte CMAC of <paramref name="count"/> bytes of <paramref name="input"/>.</summary>
    /// <param name="key">The AES key.</param>
    /// <param name="input">The MAC input.</param>
    /// <param name="count">Its length.</param>
    /// <param name="mac">Receives 16 bytes.</param>
    public static void Cmac(byte[] key, byte[] input, int count, byte[] mac)
    {
        var cmac = new AesCmac(DotNetAesFactory.Instance.CreateAes(key, 0, key.Length));
        cmac.Compute(input, 0, count, mac, 0);
    }

    /// <summary>Computes the 3-byte key check value of an AES key.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The KCV.</returns>
    public static byte[] KeyCheckValue(byte[] key)
    {
        byte[] block = new byte[16];
        block.AsSpan().Fill(0x01);
        DotNetAesFactory.Instance.CreateAes(key, 0, key.Length).EncryptBlock(block, 0, block, 0);
        return block[..3];
    }
}

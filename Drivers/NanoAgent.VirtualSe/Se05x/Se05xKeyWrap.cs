using NanoAgent.Drivers.Crypto;
using NanoAgent.VirtualSe.Scp03;

namespace NanoAgent.VirtualSe.Se05x;

/// <summary>
/// AES key unwrap (RFC 3394 §2.2.2, default IV A6A6A6A6A6A6A6A6), the "TAG_2 KEK id" form of WriteSymmKey (AN12413,
/// se05x-facts.md §3): a mode over the AES block, like our CMAC and SCP03.
/// </summary>
internal static class Se05xKeyWrap
{
    /// <summary>Unwraps <paramref name="wrapped"/> (n + 1 blocks of 8 bytes) with the KEK; null when the integrity check fails.</summary>
    public static byte[]? Unwrap(byte[] kek, ReadOnlySpan<byte> wrapped)
    {
        if (wrapped.Length < 24 || wrapped.Length % 8 != 0)
        {
            return null;
        }

        IBlockCipher aes = DotNetAesFactory.Instance.CreateAes(kek, 0, kek.Length);
        int n = (wrapped.Length / 8) - 1;
        byte[] a = wrapped[..8].ToArray();
        byte[] r = wrapped[8..].ToArray();
        byte[] block = new byte[16];
        for (int j = 5; j >= 0; j--)
        {
            for (int i = n; i >= 1; i--)
            {
                ulong t = (ulong)((n * j) + i);
                for (int k = 0; k < 8; k++)
                {
                    block[k] = (byte)(a[k] ^ (byte)(t >> (8 * (7 - k))));
                }

                Array.Copy(r, (i - 1) * 8, block, 8, 8);
                aes.DecryptBlock(block, 0, block, 0);
                Array.Copy(block, 0, a, 0, 8);
                Array.Copy(block, 8, r, (i - 1) * 8, 8);
            }
        }

        byte check = 0;
        foreach (byte b in a)
        {
            check |= (byte)(b ^ 0xA6);
        }

        return check == 0 ? r : null;
    }
}

using NanoAgent.Drivers.Crypto;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Drivers.Host.Keys;

/// <summary>
/// Per-device SCP03 keys from a master key: the "KDF3" diversification of GlobalPlatformPro (its
/// <c>library/src/main/java/pro/javacard/gp/keys/PlaintextKeys.java</c>, template <c>kdf3</c>), which is NIST SP 800-108
/// KDF in counter mode with AES-CMAC as PRF (the PRF and counter mode of SCP03's own KDF, GP Amd D §4.1.5) over the key
/// diversification data the SD returns in INITIALIZE UPDATE (Amd D §7.1.1.3). Block i (1, 2, ...) of a key is
/// <c>CMAC(master, i | 00 00 00 k | 00 | KDD)</c>, one 16-byte AES block, with k = 01 for Key-ENC, 02 Key-MAC, 03 Key-DEK;
/// the blocks are joined and cut to the master key's length. docs/keys.md has the reasoning and test vectors.
/// </summary>
public static class Kdf3Diversification
{
    /// <summary>The key type byte of Key-ENC.</summary>
    public const byte Enc = 0x01;

    /// <summary>The key type byte of Key-MAC.</summary>
    public const byte Mac = 0x02;

    /// <summary>The key type byte of Key-DEK.</summary>
    public const byte Dek = 0x03;

    /// <summary>The length of the key diversification data (GP Amd D §7.1.1.3: 10 bytes in INITIALIZE UPDATE's response).</summary>
    public const int DataLength = 10;

    /// <summary>The length of one PRF input: counter, 00 00 00, key type, 00 separator, the 10 bytes of data.</summary>
    public const int InputLength = 6 + DataLength;

    /// <summary>The scheme's name as the sources' descriptions print it.</summary>
    public const string Name = "KDF3 diversification (SP 800-108 counter mode, AES-CMAC, over the SD's key diversification data)";

    /// <summary>Writes the PRF input of one block.</summary>
    /// <param name="counter">The block counter, from 1.</param>
    /// <param name="keyType"><see cref="Enc"/>, <see cref="Mac"/> or <see cref="Dek"/>.</param>
    /// <param name="diversificationData">The 10 bytes of key diversification data.</param>
    /// <param name="input">A buffer of <see cref="InputLength"/> bytes receiving the input.</param>
    /// <exception cref="ArgumentException">The data is not 10 bytes, or the buffer is not 16.</exception>
    public static void WriteInput(byte counter, byte keyType, byte[] diversificationData, byte[] input)
    {
        CheckData(diversificationData);
        if (input is null || input.Length != InputLength)
        {
            throw new ArgumentException($"A KDF3 input block is {InputLength} bytes.", nameof(input));
        }

        input[0] = counter;
        input[1] = 0x00;
        input[2] = 0x00;
        input[3] = 0x00;
        input[4] = keyType;
        input[5] = 0x00;
        Array.Copy(diversificationData, 0, input, 6, DataLength);
    }

    /// <summary>Derives one key.</summary>
    /// <param name="prf">AES-CMAC with the master key: takes a 16-byte input, returns the 16-byte MAC.</param>
    /// <param name="keyType"><see cref="Enc"/>, <see cref="Mac"/> or <see cref="Dek"/>.</param>
    /// <param name="diversificationData">The 10 bytes of key diversification data.</param>
    /// <param name="length">The key length, the master key's: 16, 24 or 32.</param>
    /// <returns>The derived key (the caller clears it when done).</returns>
    /// <exception cref="ArgumentException">The data is not 10 bytes, the length is not an AES key's, or the PRF returned other than 16 bytes.</exception>
    public static byte[] Derive(Func<byte[], byte[]> prf, byte keyType, byte[] diversificationData, int length)
    {
        ArgumentNullException.ThrowIfNull(prf);
        if (length is not (16 or 24 or 32))
        {
            throw new ArgumentException("AES keys are 16, 24 or 32 bytes.", nameof(length));
        }

        byte[] key = new byte[length];
        byte[] input = new byte[InputLength];
        for (int i = 1, done = 0; done < length; i++)
        {
            WriteInput((byte)i, keyType, diversificationData, input);
            byte[] block = prf(input);
            if (block is null || block.Length != AesCmac.MacLength)
            {
                throw new ArgumentException("The PRF must return a 16-byte AES-CMAC.", nameof(prf));
            }

            int take = Math.Min(AesCmac.MacLength, length - done);
            Array.Copy(block, 0, key, done, take);
            Array.Clear(block);
            done += take;
        }

        return key;
    }

    /// <summary>Derives a device's key set: Key-ENC, Key-MAC and Key-DEK, each from its own PRF.</summary>
    /// <param name="factory">The AES implementation of the key set.</param>
    /// <param name="keyVersion">The key version number of the device's key set.</param>
    /// <param name="diversificationData">The 10 bytes of key diversification data.</param>
    /// <param name="length">The key length: 16, 24 or 32.</param>
    /// <param name="prf">AES-CMAC with the master key of a key type (the same master key for all three, or one each).</param>
    /// <returns>The key set.</returns>
    /// <exception cref="ArgumentException">As <see cref="Derive"/>.</exception>
    public static Scp03StaticKeys DeriveKeySet(
        IBlockCipherFactory factory, byte keyVersion, byte[] diversificationData, int length, Func<byte, byte[], byte[]> prf)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(prf);
        byte[] enc = Derive(input => prf(Enc, input), Enc, diversificationData, length);
        byte[] mac = Derive(input => prf(Mac, input), Mac, diversificationData, length);
        byte[] dek = Derive(input => prf(Dek, input), Dek, diversificationData, length);
        try
        {
            return new Scp03StaticKeys(factory, keyVersion, enc, mac, dek);
        }
        finally
        {
            Array.Clear(enc);
            Array.Clear(mac);
            Array.Clear(dek);
        }
    }

    /// <summary>Checks the key diversification data's length.</summary>
    /// <param name="diversificationData">The data.</param>
    /// <exception cref="ArgumentException">It is not 10 bytes.</exception>
    public static void CheckData(byte[] diversificationData)
    {
        if (diversificationData is null || diversificationData.Length != DataLength)
        {
            throw new ArgumentException("Key diversification data is 10 bytes.", nameof(diversificationData));
        }
    }
}

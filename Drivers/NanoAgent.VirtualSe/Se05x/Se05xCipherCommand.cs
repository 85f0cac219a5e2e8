using System.Security.Cryptography;
using NanoAgent.VirtualSe.Se05x.State;
using T = NanoAgent.VirtualSe.Se05x.Se05xTags;

namespace NanoAgent.VirtualSe.Se05x;

/// <summary>
/// CipherOneShot (NXP se05x_APDU_apis.h; P1 0E, P2 37 encrypt / 38 decrypt): TAG_1 AES key id, TAG_2 cipher mode,
/// TAG_3 data, TAG_4 IV → TAG_1 the result. Modes (se05x_enums.h SE05x_CipherMode_t): 0E AES ECB NOPAD, 0D AES CBC
/// NOPAD, F0 AES CTR (the IV is the first counter block, incremented as one 128-bit number). Other modes (padding, DES,
/// GCM) are not modelled: 6A80. No IV means a zero IV (ours); ECB takes none. Rights ENC / DEC.
/// </summary>
internal static class Se05xCipherCommand
{
    private const byte EcbNoPad = 0x0E;
    private const byte CbcNoPad = 0x0D;
    private const byte Ctr = 0xF0;

    public static ushort Handle(Se05xCall call, bool encrypt)
    {
        if (!call.Tlvs.OnlyTags(T.Tag1, T.Tag2, T.Tag3, T.Tag4) || !call.TryObjectId(out uint id)
            || !call.Tlvs.TryNumber(T.Tag2, 1, out uint mode) || !call.Tlvs.Has(T.Tag3) || call.Tlvs.Length(T.Tag3) == 0)
        {
            return Se05xSw.WrongData;
        }

        int length = call.Tlvs.Length(T.Tag3);
        bool hasIv = call.Tlvs.Has(T.Tag4);
        if (mode is not (EcbNoPad or CbcNoPad or Ctr) || (hasIv && (mode == EcbNoPad || call.Tlvs.Length(T.Tag4) != 16))
            || (mode != Ctr && length % 16 != 0))
        {
            return Se05xSw.WrongData;
        }

        Se05xObject? key = call.Tx.View.Find(id);
        if (key is null || key.Type != Se05xObjectType.Aes || key.IsAuthObject)
        {
            return Se05xSw.ConditionsNotSatisfied;
        }

        ushort denied = call.Allowed(key, encrypt ? Se05xAccess.Encrypt : Se05xAccess.Decrypt);
        if (denied != 0)
        {
            return denied;
        }

        byte[] iv = hasIv ? call.Tlvs.Value(T.Tag4) : new byte[16];
        byte[] data = call.Tlvs.Value(T.Tag3);
        using var aes = Aes.Create();
        aes.Key = key.Value;
        byte[] result = mode switch
        {
            EcbNoPad => encrypt ? aes.EncryptEcb(data, PaddingMode.None) : aes.DecryptEcb(data, PaddingMode.None),
            CbcNoPad => encrypt ? aes.EncryptCbc(data, iv, PaddingMode.None) : aes.DecryptCbc(data, iv, PaddingMode.None),
            _ => CounterMode(aes, iv, data),
        };
        call.Reply.Bytes(T.Tag1, result);
        return Se05xSw.Ok;
    }

    private static byte[] CounterMode(Aes aes, byte[] counter, byte[] data)
    {
        byte[] output = new byte[data.Length];
        byte[] stream = new byte[16];
        for (int at = 0; at < data.Length; at += 16)
        {
            aes.EncryptEcb(counter, stream, PaddingMode.None);
            for (int i = 0; i < 16 && at + i < data.Length; i++)
            {
                output[at + i] = (byte)(data[at + i] ^ stream[i]);
            }

            for (int i = 15; i >= 0; i--)
            {
                if (++counter[i] != 0)
                {
                    break;
                }
            }
        }

        return output;
    }
}

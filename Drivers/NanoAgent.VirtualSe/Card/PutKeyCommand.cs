using NanoAgent.Drivers.Crypto;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Card;

/// <summary>
/// PUT KEY (GPC v2.3.1 §11.8; GP Amd D §7.2) of a whole SCP03 key set: P1 '00' adds a key set, P1 = KVN replaces that
/// one; P2 '81' (b8 = several keys, key identifier 1: ENC, then MAC 2, DEK 3). Data: new KVN, then three key data fields
/// '88' (AES) | L | key length | key encrypted with the static Key-DEK of the session's key set (AES-CBC, zero ICV;
/// Amd D §7.2: SCP03 has no session DEK) | '03' | key check value. A key of 24 bytes travels zero-padded to 32 (our
/// choice: the key length byte gives the real length). Every KCV is checked before anything changes ('6A80' on a
/// mismatch). Response (§11.8.3): the new KVN and the three KCVs.
/// </summary>
internal static class PutKeyCommand
{
    private const byte SeveralKeysFromId1 = 0x81;

    public static CardReply Process(in ManagementContext context, in CardCommand command, Span<byte> output)
    {
        RegistryEntry target = context.KeyTarget;
        SecurityDomainData domain = target.Domain ?? new SecurityDomainData();
        if (command.P2 != SeveralKeysFromId1)
        {
            return CardReply.Status(StatusWords.WrongP1P2);
        }

        KeySetRecord? replaced = null;
        byte p1 = command.P1;
        if (p1 != 0)
        {
            replaced = domain.KeySets.Find(k => k.KeyVersion == p1);
            if (replaced is null)
            {
                return CardReply.Status(StatusWords.ReferencedDataNotFound);
            }
        }

        ReadOnlySpan<byte> data = command.Data;
        if (data.Length < 1)
        {
            return CardReply.Status(StatusWords.WrongLength);
        }

        // GPC §11.8.2.3: new key version numbers are '01'-'7F' and unique within the security domain.
        byte kvn = data[0];
        if (kvn is 0 or > 0x7F || domain.KeySets.Exists(k => k.KeyVersion == kvn && !ReferenceEquals(k, replaced)))
        {
            return CardReply.Status(StatusWords.WrongData);
        }

        if (replaced is null && domain.KeySets.Count >= SecurityDomainData.MaxKeySets)
        {
            return CardReply.Status(StatusWords.NotEnoughMemory);
        }

        var cbc = new CbcCipher(context.Card.Options.CipherFactory.CreateAes(context.Session.KeySet!.Dek, 0, context.Session.KeySet.Dek.Length));
        byte[][] keys = new byte[3][];
        byte[] checkValues = new byte[9];
        int at = 1;
        for (int i = 0; i < 3; i++)
        {
            ushort sw = ReadKey(data, ref at, cbc, out keys[i], checkValues.AsSpan(3 * i, 3));
            if (sw != StatusWords.Ok)
            {
                return CardReply.Status(sw);
            }
        }

        if (at != data.Length || keys[1].Length != keys[0].Length || keys[2].Length != keys[0].Length)
        {
            return CardReply.Status(StatusWords.WrongData);
        }

        KeySetRecord record = KeySetRecord.Create(kvn, keys[0], keys[1], keys[2]);
        if (replaced is null)
        {
            domain.KeySets.Add(record);
        }
        else
        {
            domain.KeySets[domain.KeySets.IndexOf(replaced)] = record;
        }

        target.Domain = domain;
        ushort saved = context.Commit();
        if (saved != StatusWords.Ok)
        {
            return CardReply.Status(saved);
        }

        output[0] = kvn;
        checkValues.CopyTo(output[1..]);
        return CardReply.Data(10);
    }

    private static ushort ReadKey(ReadOnlySpan<byte> data, ref int at, CbcCipher cbc, out byte[] key, Span<byte> checkValue)
    {
        key = [];
        if (data.Length - at < 3 || data[at] != KeySetRecord.AesKeyType)
        {
            return StatusWords.WrongData;
        }

        int fieldLength = data[at + 1];
        int keyLength = data[at + 2];
        int encrypted = fieldLength - 1;
        if (keyLength is not (16 or 24 or 32) || encrypted < keyLength || encrypted % 16 != 0 || encrypted > 32
            || data.Length - at < 2 + fieldLength + 1 + 3 || data[at + 2 + fieldLength] != 3)
        {
            return StatusWords.WrongData;
        }

        byte[] block = data.Slice(at + 3, encrypted).ToArray();
        cbc.Decrypt(new byte[16], 0, block, 0, encrypted);
        key = block[..keyLength];
        byte[] expected = KeySetRecord.CheckValue(key);
        ReadOnlySpan<byte> sent = data.Slice(at + 2 + fieldLength + 1, 3);
        if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(expected, sent))
        {
            return StatusWords.WrongData;
        }

        expected.CopyTo(checkValue);
        at += 2 + fieldLength + 1 + 3;
        return StatusWords.Ok;
    }
}

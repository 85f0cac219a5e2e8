using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Card;

/// <summary>
/// GET DATA (GPC v2.3.1 §11.3, INS 'CA'; INS 'CB' is treated alike and its data field ignored): P1-P2 name the data
/// object, answered as a whole TLV. Supported: '9F7F' CPLC (§H.6), '0066' Card Data (§H.2), '0042' IIN, '0045' CIN,
/// '00E0' Key Information Template of the selected security domain (§11.3.3.1), and the objects STORE DATA stored
/// in it (by tag). Anything else: '6A88'.
/// </summary>
internal static class GetDataCommand
{
    private const byte InsEven = 0xCA;

    /// <summary>
    /// Card Recognition Data, GPC §H.2, as the value of tag '66': '73' {
    /// '06' {globalPlatform 1} (1.2.840.114283.1: card recognition data),
    /// '60' { '06' {globalPlatform 2 2 3 1} } card management type and version GP 2.3.1,
    /// '63' { '06' {globalPlatform 3} } card identification scheme,
    /// '64' { '06' {globalPlatform 4 3 '70'} } SCP03 with i = '70' (pseudo-random challenge, R-MAC, R-ENC) }.
    /// </summary>
    private static readonly byte[] CardRecognitionData = Convert.FromHexString(
        "732F" +
        "06072A864886FC6B01" +
        "600C060A2A864886FC6B02020301" +
        "6309" + "06072A864886FC6B03" +
        "640B" + "06092A864886FC6B040370");

    public static CardReply Process(CardState state, RegistryEntry sd, in CardCommand cmd, Span<byte> output)
    {
        if (cmd.Ins == InsEven && !cmd.Data.IsEmpty)
        {
            // GET DATA 'CA' is a case 2 command: no data field.
            return CardReply.Status(StatusWords.WrongLength);
        }

        switch (cmd.P1P2)
        {
            case 0x9F7F:
                {
                    // GPC §H.6: '9F7F' '2A' followed by the 42 CPLC bytes.
                    Span<byte> cplc = stackalloc byte[Cplc.Length];
                    state.Identity.Cplc.Encode(cplc);
                    return CardReply.Data(TlvBytes.Write(output, 0x9F7F, cplc));
                }

            case 0x0066:
                return CardReply.Data(TlvBytes.Write(output, 0x66, CardRecognitionData));
            case 0x0042:
                return CardReply.Data(TlvBytes.Write(output, 0x42, state.Identity.Iin));
            case 0x0045:
                return CardReply.Data(TlvBytes.Write(output, 0x45, state.Identity.Cin));
            case 0x00E0:
                return CardReply.Data(KeyInformation(sd, output));
            default:
                // Personalisation data STORE DATA wrote to this security domain, by tag.
                return sd.Domain?.StoredData.TryGetValue(StoreDataCommand.TagKey(cmd.P1P2), out byte[]? stored) == true
                    ? CardReply.Data(Copy(stored, output))
                    : CardReply.Status(StatusWords.ReferencedDataNotFound);
        }
    }

    /// <summary>
    /// GPC §11.3.3.1: 'E0' { 'C0' 04 key-id KVN key-type key-length … }: for each key set, keys 1 (ENC), 2 (MAC), 3 (DEK), AES '88'.
    /// </summary>
    private static int KeyInformation(RegistryEntry sd, Span<byte> output)
    {
        Span<byte> content = output[TlvBytes.HeaderRoom..];
        int at = 0;
        foreach (KeySetRecord keySet in sd.Domain?.KeySets ?? [])
        {
            for (byte id = 1; id <= 3; id++)
            {
                at += TlvBytes.Write(content[at..], 0xC0, [id, keySet.KeyVersion, KeySetRecord.AesKeyType, (byte)keySet.KeyLength]);
            }
        }

        return TlvBytes.Wrap(output, 0xE0, at);
    }

    private static int Copy(byte[] stored, Span<byte> output)
    {
        stored.CopyTo(output);
        return stored.Length;
    }
}

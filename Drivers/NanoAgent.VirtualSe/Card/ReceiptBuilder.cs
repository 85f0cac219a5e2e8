using NanoAgent.Drivers.Crypto;
using NanoAgent.Drivers.Lifecycle;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Card;

/// <summary>
/// Receipts of delegated management (GPC v2.3.1 Annex C.5; layout in <see cref="DelegatedReceipt"/>): after a delegated
/// INSTALL or DELETE, the owner's confirmation counter is incremented (kept under STORE DATA tag 'DF7B' of the owner) and the
/// response carries <c>10 | AES-CMAC | L | 02 counter | L IIN|CIN</c>, the CMAC under the owner's receipt key (Key-ENC of
/// its key set KVN '71'). Without a receipt key the response is the plain '00' (GP: a receipt only where one is required).
/// </summary>
internal static class ReceiptBuilder
{
    /// <summary>Writes the confirmation into <paramref name="output"/>; returns its length, or -1 when it cannot be saved.</summary>
    public static int Write(in ManagementContext context, byte[] firstAid, byte[]? secondAid, Span<byte> output)
    {
        RegistryEntry? owner = DelegatedManagement.Owner(context);
        KeySetRecord? key = owner?.Domain?.FindKeySet(DelegatedReceipt.ReceiptKeyVersion);
        if (owner?.Domain is not { } domain || key is null || key.KeyVersion != DelegatedReceipt.ReceiptKeyVersion)
        {
            output[0] = 0x00;
            return 1;
        }

        string tag = StoreDataCommand.TagKey(DelegatedReceipt.CounterTag);
        int counter = domain.StoredData.TryGetValue(tag, out byte[]? old) && old.Length == 5 ? (old[3] << 8) | old[4] : 0;
        counter = (counter + 1) & 0xFFFF;
        domain.StoredData[tag] = [0xDF, 0x7B, 0x02, (byte)(counter >> 8), (byte)counter];
        if (context.Commit() != StatusWords.Ok)
        {
            return -1;
        }

        CardIdentity id = context.State.Identity;
        byte[] unique = [.. id.Iin, .. id.Cin];
        byte[] input = new byte[300];
        int n = DelegatedReceipt.MacInput(counter, unique, firstAid, secondAid, input, 0);
        byte[] mac = new byte[AesCmac.MacLength];
        new AesCmac(context.Card.Options.CipherFactory.CreateAes(key.Enc, 0, key.Enc.Length)).Compute(input, 0, n, mac, 0);

        int at = 0;
        output[at++] = DelegatedReceipt.ReceiptLength;
        mac.CopyTo(output[at..]);
        at += mac.Length;
        output[at++] = (byte)(3 + 1 + unique.Length);
        output[at++] = 2;
        output[at++] = (byte)(counter >> 8);
        output[at++] = (byte)counter;
        output[at++] = (byte)unique.Length;
        unique.CopyTo(output[at..]);
        return at + unique.Length;
    }
}

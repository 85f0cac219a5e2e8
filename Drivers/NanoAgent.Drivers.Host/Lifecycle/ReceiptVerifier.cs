using System.Security.Cryptography;
using NanoAgent.Drivers.Crypto;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Lifecycle;

namespace NanoAgent.Drivers.Host.Lifecycle;

/// <summary>
/// The domain owner's check of delegated management receipts (GPC v2.3.1 Annex C.5, layout in <see cref="DelegatedReceipt"/>):
/// recomputes the AES-CMAC under the receipt key and refuses a confirmation counter that does not increase (a replayed
/// receipt). The compare is constant-time.
/// </summary>
public sealed class ReceiptVerifier
{
    private readonly byte[] _key;

    /// <summary>Creates a verifier.</summary>
    /// <param name="receiptKey">The AES receipt key (16, 24 or 32 bytes; copied).</param>
    /// <exception cref="ArgumentException">The key length is wrong.</exception>
    public ReceiptVerifier(byte[] receiptKey)
    {
        if (receiptKey is not { Length: 16 or 24 or 32 })
        {
            throw new ArgumentException("A receipt key is an AES key of 16, 24 or 32 bytes.", nameof(receiptKey));
        }

        _key = (byte[])receiptKey.Clone();
    }

    /// <summary>Gets the last confirmation counter accepted (-1 before any).</summary>
    public int LastCounter { get; private set; } = -1;

    /// <summary>Verifies the response of a delegated INSTALL.</summary>
    /// <param name="response">The response data (no status word).</param>
    /// <param name="loadFileAid">The load file AID the token named.</param>
    /// <param name="instanceAid">The instance AID.</param>
    /// <returns>True when the receipt is genuine and fresh.</returns>
    public bool VerifyInstall(byte[] response, byte[] loadFileAid, byte[] instanceAid) => Verify(response, loadFileAid, instanceAid);

    /// <summary>Verifies the response of a delegated DELETE.</summary>
    /// <param name="response">The response data (no status word).</param>
    /// <param name="aid">The deleted AID.</param>
    /// <returns>True when the receipt is genuine and fresh.</returns>
    public bool VerifyDelete(byte[] response, byte[] aid) => Verify(response, aid, null);

    private bool Verify(byte[] response, byte[] first, byte[]? second)
    {
        if (!DelegatedReceipt.TryParse(response, 0, response.Length, out int receiptAt, out int counter, out int uniqueAt, out int uniqueLength)
            || counter <= LastCounter)
        {
            return false;
        }

        byte[] input = new byte[300];
        int n = DelegatedReceipt.MacInput(counter, response[uniqueAt..(uniqueAt + uniqueLength)], first, second, input, 0);
        byte[] mac = new byte[AesCmac.MacLength];
        new AesCmac(BouncyCastleAesFactory.Instance.CreateAes(_key, 0, _key.Length)).Compute(input, 0, n, mac, 0);
        if (!CryptographicOperations.FixedTimeEquals(mac, response.AsSpan(receiptAt, DelegatedReceipt.ReceiptLength)))
        {
            return false;
        }

        LastCounter = counter;
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => "ReceiptVerifier AES-" + (_key.Length * 8);
}

using System;
using NanoAgent.Drivers.Crypto;

namespace NanoAgent.Agent.Messages
{
    /// <summary>
    /// The request authenticator (docs/protocol.md §3.9): an AES-CMAC (NIST SP 800-38B) with the tenant's request key over
    /// <c>01 | len(device) | device | len(tenant) | tenant | message</c>, where message is every byte of the encoded E1/E2
    /// before the authenticator field. On the wire the field holds the request key version then the 16-byte MAC.
    /// The agent never computes it (the SE verifies); backends and tests do, through <see cref="RequestSigner"/>.
    /// </summary>
    public static class RequestMac
    {
        /// <summary>The purpose byte that starts every MAC input (a relay request).</summary>
        public const byte Purpose = 0x01;

        /// <summary>The length of the MAC in the authenticator.</summary>
        public const int MacLength = 16;

        /// <summary>The length of the authenticator field value: key version and MAC.</summary>
        public const int AuthenticatorLength = 1 + MacLength;

        /// <summary>The largest prefix: purpose, two lengths, a 64-character device id and a 32-character tenant id.</summary>
        public const int MaxPrefixLength = 3 + 64 + 32;

        /// <summary>Writes the MAC input prefix that binds the device and the tenant.</summary>
        /// <param name="deviceId">The device id (1 to 64 ASCII characters).</param>
        /// <param name="tenantId">The tenant id of the request topic.</param>
        /// <param name="buffer">Receives the prefix (at least <see cref="MaxPrefixLength"/> bytes from <paramref name="offset"/>).</param>
        /// <param name="offset">Where it starts.</param>
        /// <returns>The prefix length.</returns>
        /// <exception cref="ArgumentException">An id is empty or too long.</exception>
        public static int WritePrefix(string deviceId, string tenantId, byte[] buffer, int offset)
        {
            if (deviceId == null || deviceId.Length < 1 || deviceId.Length > 64 || tenantId == null || tenantId.Length < 1 || tenantId.Length > 32)
            {
                throw new ArgumentException("A device id is 1 to 64 characters and a tenant id 1 to 32.");
            }

            int at = offset;
            buffer[at++] = Purpose;
            at = WriteText(deviceId, buffer, at);
            at = WriteText(tenantId, buffer, at);
            return at - offset;
        }

        /// <summary>Computes the request MAC.</summary>
        /// <param name="cmac">A CMAC keyed with the tenant's request key.</param>
        /// <param name="deviceId">The device id.</param>
        /// <param name="tenantId">The tenant id.</param>
        /// <param name="message">The encoded message.</param>
        /// <param name="signedLength">How many of its bytes are covered (everything before the authenticator field).</param>
        /// <param name="mac">Receives the 16-byte MAC.</param>
        /// <param name="macOffset">Where it goes.</param>
        public static void Compute(AesCmac cmac, string deviceId, string tenantId, byte[] message, int signedLength, byte[] mac, int macOffset)
        {
            byte[] prefix = new byte[MaxPrefixLength];
            int n = WritePrefix(deviceId, tenantId, prefix, 0);
            cmac.Reset();
            cmac.Update(prefix, 0, n);
            cmac.Update(message, 0, signedLength);
            cmac.DoFinal(mac, macOffset, MacLength);
        }

        private static int WriteText(string text, byte[] buffer, int at)
        {
            buffer[at++] = (byte)text.Length;
            for (int i = 0; i < text.Length; i++)
            {
                buffer[at++] = (byte)text[i];
            }

            return at;
        }
    }
}

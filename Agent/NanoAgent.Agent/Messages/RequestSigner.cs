using System;
using NanoAgent.Drivers.Crypto;
using NanoAgent.Drivers.Lifecycle;
using NanoAgent.Drivers.Scp03;

namespace NanoAgent.Agent.Messages
{
    /// <summary>
    /// A tenant's side of request authentication (docs/protocol.md §3.9): encodes an E1 or E2 with its authenticator, an
    /// AES-CMAC under the tenant's request key over the device id, the tenant id and every byte before the field.
    /// </summary>
    public sealed class RequestSigner
    {
        private readonly AesCmac _cmac;
        private readonly byte _keyVersion;
        private readonly string _deviceId;
        private readonly string _tenantId;

        /// <summary>Creates a signer.</summary>
        /// <param name="requestKey">A cipher keyed with the tenant's request key (AES); used, not owned.</param>
        /// <param name="keyVersion">The request key's version, '60' to '6F'.</param>
        /// <param name="deviceId">The device the requests are for.</param>
        /// <param name="tenantId">The tenant (the topic's tenant level).</param>
        /// <exception cref="ArgumentException">The key version is outside '60'-'6F' or an id is invalid.</exception>
        public RequestSigner(IBlockCipher requestKey, byte keyVersion, string deviceId, string tenantId)
        {
            if (!RequestKey.IsRequestKeyVersion(keyVersion))
            {
                throw new ArgumentException("A request key version is '60' to '6F'.", "keyVersion");
            }

            RequestMac.WritePrefix(deviceId, tenantId, new byte[RequestMac.MaxPrefixLength], 0);
            _cmac = new AesCmac(requestKey);
            _keyVersion = keyVersion;
            _deviceId = deviceId;
            _tenantId = tenantId;
        }

        /// <summary>Creates a signer from a request key set (version '60'-'6F'; its Key-MAC is the request key).</summary>
        /// <param name="requestKeys">The request key set, as put into the tenant's SD.</param>
        /// <param name="deviceId">The device the requests are for.</param>
        /// <param name="tenantId">The tenant.</param>
        /// <returns>The signer.</returns>
        /// <exception cref="ArgumentException">The key version is outside '60'-'6F' or an id is invalid.</exception>
        public static RequestSigner FromKeySet(Scp03StaticKeys requestKeys, string deviceId, string tenantId)
        {
            if (requestKeys == null)
            {
                throw new ArgumentNullException("requestKeys");
            }

            return new RequestSigner(requestKeys.CreateMacCipher(), requestKeys.KeyVersion, deviceId, tenantId);
        }

        /// <summary>Gets the request key version this signer writes.</summary>
        public byte KeyVersion
        {
            get { return _keyVersion; }
        }

        /// <summary>Encodes a script request with its authenticator (also set on <paramref name="request"/>).</summary>
        /// <param name="request">The request.</param>
        /// <returns>The message bytes.</returns>
        /// <exception cref="AgentMessageException">A field is missing or out of range.</exception>
        public byte[] Sign(ScriptRequest request)
        {
            request.Authenticator = Placeholder();
            byte[] message = ScriptMessageCodec.Encode(request);
            request.Authenticator = Seal(message);
            return message;
        }

        /// <summary>Encodes an interactive APDU request with its authenticator (also set on <paramref name="request"/>).</summary>
        /// <param name="request">The request.</param>
        /// <returns>The message bytes.</returns>
        /// <exception cref="AgentMessageException">A field is missing or out of range.</exception>
        public byte[] Sign(ApduRequest request)
        {
            request.Authenticator = Placeholder();
            byte[] message = ScriptMessageCodec.Encode(request);
            request.Authenticator = Seal(message);
            return message;
        }

        private byte[] Placeholder()
        {
            byte[] value = new byte[RequestMac.AuthenticatorLength];
            value[0] = _keyVersion;
            return value;
        }

        // The authenticator is the last field: its 16 MAC bytes end the message, its tag and length precede the key version.
        private byte[] Seal(byte[] message)
        {
            int macAt = message.Length - RequestMac.MacLength;
            int signed = macAt - 1 - 2;
            RequestMac.Compute(_cmac, _deviceId, _tenantId, message, signed, message, macAt);
            byte[] value = new byte[RequestMac.AuthenticatorLength];
            Array.Copy(message, macAt - 1, value, 0, value.Length);
            return value;
        }
    }
}

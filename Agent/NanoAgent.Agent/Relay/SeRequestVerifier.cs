using System;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Lifecycle;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// Verifies request MACs inside the SE (docs/protocol.md §3.9): opens a logical channel the card picks (MANAGE CHANNEL
    /// P2 '00'), selects the request verifier there, streams the MAC input (prefix binding device and tenant, then the
    /// signed message bytes) in VERIFY REQUEST chunks of at most one short APDU, and closes the channel. Tenants' own
    /// channels and sessions are never touched. Buffers are allocated once.
    /// </summary>
    public sealed class SeRequestVerifier : IRequestVerifier
    {
        /// <summary>The bytes of this verifier's own buffers (prefix, chunk, command, response), for the memory budget.</summary>
        public const int BufferBytes = RequestMac.MaxPrefixLength + MaxChunk + (5 + MaxChunk + 1) + 258 + 16;

        private const int MaxChunk = 255;

        private readonly ApduChannel _channel;
        private readonly string _deviceId;
        private readonly byte[] _prefix = new byte[RequestMac.MaxPrefixLength];
        private readonly int _chunk;
        private readonly byte[] _data = new byte[MaxChunk];
        private readonly byte[] _command = new byte[5 + MaxChunk + 1];
        private readonly byte[] _response = new byte[258];
        private readonly byte[] _aid = RequestKey.VerifierAid();

        /// <summary>Creates the verifier.</summary>
        /// <param name="transport">Carries APDUs to the SE (the relay's transport); not owned.</param>
        /// <param name="deviceId">This device's id, bound into every MAC.</param>
        /// <param name="maxCommandData">The largest data field the transport carries in one APDU (under platform SCP03 less
        /// than 255); chunks are at most this and 255.</param>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCommandData"/> is below 64.</exception>
        public SeRequestVerifier(IApduTransport transport, string deviceId, int maxCommandData)
        {
            if (transport == null || deviceId == null)
            {
                throw new ArgumentNullException(transport == null ? "transport" : "deviceId");
            }

            if (maxCommandData < 64)
            {
                throw new ArgumentOutOfRangeException("maxCommandData");
            }

            _chunk = maxCommandData < MaxChunk ? maxCommandData : MaxChunk;
            _channel = new ApduChannel(transport);
            _deviceId = deviceId;
        }

        /// <inheritdoc />
        public RequestVerification Verify(Tenant tenant, byte[] message, int signedLength, byte[] authenticator)
        {
            if (authenticator == null || authenticator.Length != RequestMac.AuthenticatorLength || !RequestKey.IsRequestKeyVersion(authenticator[0]))
            {
                return RequestVerification.NoKey;
            }

            int prefix = RequestMac.WritePrefix(_deviceId, tenant.Id, _prefix, 0);
            int channel = -1;
            try
            {
                channel = Open();
                if (channel < 0)
                {
                    return RequestVerification.Unavailable;
                }

                ushort sw = Stream(tenant, channel, prefix, message, signedLength, authenticator);
                return sw == StatusWord.Success ? RequestVerification.Verified
                    : sw == 0x6A88 ? RequestVerification.NoKey
                    : sw == 0x6982 ? RequestVerification.BadMac
                    : RequestVerification.Unavailable;
            }
            catch (Exception e)
            {
                // No exception filter (support on the nanoFramework runtime is unconfirmed). Anything else is a bug or a power cut.
                if (!ScriptRelay.IsLinkFault(e))
                {
                    throw;
                }

                return RequestVerification.Unavailable;
            }
            finally
            {
                Close(channel);
            }
        }

        // ISO/IEC 7816-4 §7.1.2: MANAGE CHANNEL open, P2 '00' (the card assigns), Le '01'; then SELECT the verifier on it.
        private int Open()
        {
            int n = CommandApdu.Write(0x00, 0x70, 0x00, 0x00, null, 0, 0, 1, ApduLengthForm.Short, _command, 0);
            int r = _channel.Transmit(_command, 0, n, _response, 0);
            if (r != 3 || StatusWord.Read(_response, 0, r) != StatusWord.Success)
            {
                return -1;
            }

            int channel = _response[0];
            n = CommandApdu.Write(LogicalChannel.Encode(0x00, channel), 0xA4, 0x04, 0x00, _aid, 0, _aid.Length, 0, ApduLengthForm.Short, _command, 0);
            r = _channel.Transmit(_command, 0, n, _response, 0);
            if (StatusWord.Read(_response, 0, r) != StatusWord.Success)
            {
                Close(channel);
                return -1;
            }

            return channel;
        }

        private ushort Stream(Tenant tenant, int channel, int prefixLength, byte[] message, int signedLength, byte[] authenticator)
        {
            // First chunk header: KVN | L | SD AID.
            byte[] sd = tenant.GetSdAid();
            int used = 0;
            _data[used++] = authenticator[0];
            _data[used++] = (byte)sd.Length;
            Array.Copy(sd, 0, _data, used, sd.Length);
            used += sd.Length;
            int total = prefixLength + signedLength;
            int sent = 0;
            byte p1 = RequestKey.First;
            while (true)
            {
                int take = _chunk - used < total - sent ? _chunk - used : total - sent;
                Copy(prefixLength, message, sent, take, used);
                used += take;
                sent += take;
                bool last = sent == total && used + RequestMac.MacLength <= _chunk;
                if (last)
                {
                    Array.Copy(authenticator, 1, _data, used, RequestMac.MacLength);
                    used += RequestMac.MacLength;
                    p1 |= RequestKey.Last;
                }

                int n = CommandApdu.Write(LogicalChannel.Encode(RequestKey.Cla, channel), RequestKey.InsVerify, p1, 0x00, _data, 0, used, 0, ApduLengthForm.Short, _command, 0);
                int r = _channel.Transmit(_command, 0, n, _response, 0);
                ushort sw = StatusWord.Read(_response, 0, r);
                if (last || sw != StatusWord.Success)
                {
                    return sw;
                }

                p1 = 0;
                used = 0;
            }
        }

        // Copies bytes [from, from + count) of prefix || message into the chunk buffer.
        private void Copy(int prefixLength, byte[] message, int from, int count, int at)
        {
            for (int i = 0; i < count; i++)
            {
                int k = from + i;
                _data[at + i] = k < prefixLength ? _prefix[k] : message[k - prefixLength];
            }
        }

        private void Close(int channel)
        {
            if (channel <= 0)
            {
                return;
            }

            try
            {
                int n = CommandApdu.Write(0x00, 0x70, 0x80, (byte)channel, null, 0, 0, 0, ApduLengthForm.Short, _command, 0);
                _channel.Transmit(_command, 0, n, _response, 0);
            }
            catch (Exception e)
            {
                // No exception filter (support on the nanoFramework runtime is unconfirmed). Anything else is a bug or a power cut.
                if (!ScriptRelay.IsLinkFault(e))
                {
                    throw;
                }

                // A channel left open is only a lost slot; the card frees it on reset.
            }
        }
    }
}

using System;
using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Se05x;
using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Lifecycle;
using NanoAgent.Drivers.Se05x;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// Verifies request MACs on an NXP SE05x with its IoT applet only (docs/protocol.md §3.9): the tenant's request key of
    /// version KVN is the AES key object <c>authObject | KVN</c> (<see cref="Se05xTenantLayout.RequestKey"/>), whose policy lets
    /// the applet's default session VERIFY with it and nothing else. A MAC input that fits one APDU goes in one MACOneShot
    /// validate (<c>80 03 0D 46</c>, which writes nothing to NVM); a longer one is streamed through a CMAC crypto object with
    /// MACInit (validate), MACUpdate and MACFinal (AN12413 §4.10.3, middleware Se05x_API_MACInit/Update/Final, each of which
    /// writes NVM: docs/longevity.md). The crypto object is created the first time MACInit finds none and is kept. Since a
    /// streamed verification writes NVM before anything is known about the request, anyone who can publish on a tenant's topic
    /// could wear the SE out with long forged requests; streamed verifications therefore draw on a budget (a token bucket:
    /// <see cref="DefaultStreamBurst"/> at once, <see cref="DefaultStreamsPerDay"/> a day), and a long request beyond it is
    /// answered "verifier unavailable" without touching the SE. Buffers are allocated once; used under the relay's lock.
    /// </summary>
    public sealed class Se05xRequestVerifier : IRequestVerifier
    {
        /// <summary>What MACOneShot validate adds to the data: TAG_1 key id (6), TAG_2 algorithm (3), TAG_3 header (4), TAG_5 MAC (18).</summary>
        public const int OneShotOverhead = 6 + 3 + 4 + 18;

        /// <summary>What MACUpdate adds to a chunk: TAG_1 header (4), TAG_2 crypto object id (4).</summary>
        public const int UpdateOverhead = 4 + 4;

        /// <summary>What MACFinal adds to its chunk: TAG_1 header (4), TAG_2 crypto object id (4), TAG_3 MAC (18).</summary>
        public const int FinalOverhead = 4 + 4 + 18;

        /// <summary>Streamed verifications the budget refills a day by default (4 NVM writes each: 16 a day at most, 117,000
        /// in 20 years even under a sustained attack; docs/longevity.md).</summary>
        public const int DefaultStreamsPerDay = 4;

        /// <summary>Streamed verifications the budget holds at most (and at start).</summary>
        public const int DefaultStreamBurst = 8;

        private const long Day = 86400000L;
        private const ushort CryptoObject = Se05xTenantLayout.RequestCryptoObject;
        private readonly NanoAgent.Drivers.Bus.IClock _clock;
        private readonly long _refillMilliseconds;
        private readonly int _burst;
        private int _tokens;
        private long _refilledAt;

        private readonly Se05xApplet _applet;
        private readonly string _deviceId;
        private readonly Se05xCryptoCommands _crypto = new Se05xCryptoCommands();
        private readonly Se05xMacStreamCommands _stream = new Se05xMacStreamCommands();
        private readonly byte[] _prefix = new byte[RequestMac.MaxPrefixLength];
        private readonly byte[] _data = new byte[Se05xApplet.Payload7];
        private readonly byte[] _command = new byte[Se05xApplet.Payload7 + 48];
        private readonly byte[] _response = new byte[64];

        /// <summary>Creates the verifier.</summary>
        /// <param name="applet">The agent's link to the IoT applet (the default session is used).</param>
        /// <param name="deviceId">This device's id, bound into every MAC.</param>
        /// <exception cref="ArgumentNullException">An argument is null.</exception>
        public Se05xRequestVerifier(Se05xApplet applet, string deviceId)
            : this(applet, deviceId, null, DefaultStreamsPerDay, DefaultStreamBurst)
        {
        }

        /// <summary>Creates the verifier with a budget for streamed verifications.</summary>
        /// <param name="applet">The agent's link to the IoT applet (the default session is used).</param>
        /// <param name="deviceId">This device's id, bound into every MAC.</param>
        /// <param name="clock">The clock the budget refills by; null: no refill (the burst is all there is until a restart).</param>
        /// <param name="streamsPerDay">Streamed verifications added a day (at least 1).</param>
        /// <param name="burst">Streamed verifications held at most (0: never stream; longer requests are refused).</param>
        /// <exception cref="ArgumentNullException">The applet or device id is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">A budget figure is out of range.</exception>
        public Se05xRequestVerifier(Se05xApplet applet, string deviceId, NanoAgent.Drivers.Bus.IClock clock, int streamsPerDay, int burst)
        {
            if (applet == null || deviceId == null)
            {
                throw new ArgumentNullException(applet == null ? "applet" : "deviceId");
            }

            if (streamsPerDay < 1 || burst < 0)
            {
                throw new ArgumentOutOfRangeException(streamsPerDay < 1 ? "streamsPerDay" : "burst");
            }

            _applet = applet;
            _deviceId = deviceId;
            _clock = clock;
            _refillMilliseconds = Day / streamsPerDay;
            _burst = burst;
            _tokens = burst;
            _refilledAt = clock == null ? 0 : clock.Milliseconds;
        }

        /// <summary>Gets how many long requests were refused because the streaming budget was used up.</summary>
        public int StreamsRefused { get; private set; }

        /// <summary>Gets how many requests were verified in one MACOneShot.</summary>
        public int OneShots { get; private set; }

        /// <summary>Gets how many requests were streamed through the crypto object.</summary>
        public int Streamed { get; private set; }

        /// <summary>Gets how many APDUs that write the SE's NVM the verifier sent (crypto object creation, MACInit, MACUpdate, MACFinal).</summary>
        public int NvmWritingCommands { get; private set; }

        /// <inheritdoc />
        public RequestVerification Verify(Tenant tenant, byte[] message, int signedLength, byte[] authenticator)
        {
            if (!tenant.IsSe05x || authenticator == null || authenticator.Length != RequestMac.AuthenticatorLength || !RequestKey.IsRequestKeyVersion(authenticator[0]))
            {
                return RequestVerification.NoKey;
            }

            int prefix = RequestMac.WritePrefix(_deviceId, tenant.Id, _prefix, 0);
            uint key = Se05xTenantLayout.RequestKey(tenant.Se05xAuthObject, authenticator[0]);
            try
            {
                ushort sw = _applet.EnsureSelected();
                if (sw != StatusWord.Success)
                {
                    return RequestVerification.Unavailable;
                }

                int total = prefix + signedLength;
                int room = _applet.MaxCommandData;
                if (total <= room - OneShotOverhead)
                {
                    OneShots++;
                    return OneShot(key, prefix, message, total, authenticator);
                }

                if (!TakeStreamToken())
                {
                    StreamsRefused++;
                    return RequestVerification.Unavailable;
                }

                Streamed++;
                return Stream(key, prefix, message, total, authenticator, room);
            }
            catch (Exception e)
            {
                // No exception filter (support on the nanoFramework runtime is unconfirmed). Anything else is a bug.
                if (!ScriptRelay.IsLinkFault(e))
                {
                    throw;
                }

                return RequestVerification.Unavailable;
            }
        }

        private bool TakeStreamToken()
        {
            if (_clock != null)
            {
                long elapsed = _clock.Milliseconds - _refilledAt;
                if (elapsed >= _refillMilliseconds)
                {
                    long added = elapsed / _refillMilliseconds;
                    _tokens = added >= _burst - _tokens ? _burst : _tokens + (int)added;
                    _refilledAt += added * _refillMilliseconds;
                }
            }

            if (_tokens == 0)
            {
                return false;
            }

            _tokens--;
            return true;
        }

        private RequestVerification OneShot(uint key, int prefix, byte[] message, int total, byte[] authenticator)
        {
            Copy(prefix, message, 0, total, _data, 0);
            int n = _crypto.MacValidate(key, Se05xMacAlgorithm.Cmac128, _data, 0, total, authenticator, 1, RequestMac.MacLength, _command, 0);
            return Result(_applet.Transceive(_command, 0, n, _response, 0));
        }

        private RequestVerification Stream(uint key, int prefix, byte[] message, int total, byte[] authenticator, int room)
        {
            ushort sw = Send(_stream.MacInit(key, CryptoObject, true, _command, 0));
            if (sw != StatusWord.Success)
            {
                // The crypto object is made once and kept until the applet is deselected (a reset); the first long request after
                // that makes it again.
                Send(_stream.CreateCryptoObject(CryptoObject, Se05xMacAlgorithm.Cmac128, _command, 0));
                sw = Send(_stream.MacInit(key, CryptoObject, true, _command, 0));
                if (sw != StatusWord.Success)
                {
                    return Classify(sw);
                }
            }

            int chunk = room - UpdateOverhead;
            int last = room - FinalOverhead;
            int sent = 0;
            while (total - sent > last)
            {
                int take = total - sent - last < chunk ? total - sent - last : chunk;
                Copy(prefix, message, sent, take, _data, 0);
                sent += take;
                sw = Send(_stream.MacUpdate(CryptoObject, _data, 0, take, _command, 0));
                if (sw != StatusWord.Success)
                {
                    return Classify(sw);
                }
            }

            Copy(prefix, message, sent, total - sent, _data, 0);
            NvmWritingCommands++;
            int n = _stream.MacFinal(CryptoObject, _data, 0, total - sent, authenticator, 1, RequestMac.MacLength, _command, 0);
            return Result(_applet.Transceive(_command, 0, n, _response, 0));
        }

        // Every command of the streamed form writes NVM (middleware: "causes NVM Writes").
        private ushort Send(int length)
        {
            NvmWritingCommands++;
            int r = _applet.Transceive(_command, 0, length, _response, 0);
            return r < 2 ? (ushort)0x6F00 : StatusWord.Read(_response, 0, r);
        }

        private RequestVerification Result(int count)
        {
            if (count < 2)
            {
                return RequestVerification.Unavailable;
            }

            ushort sw = StatusWord.Read(_response, 0, count);
            if (sw != StatusWord.Success)
            {
                return Classify(sw);
            }

            bool valid;
            try
            {
                Se05xResponse.ReadResult(_response, 0, count, out valid);
            }
            catch (Se05xException)
            {
                // A '9000' whose data is not a result byte: the SE cannot be trusted to have checked anything.
                return RequestVerification.Unavailable;
            }

            return valid ? RequestVerification.Verified : RequestVerification.BadMac;
        }

        // The applet's refusals (no such key object, a policy without VERIFY for the default session, wrong data) mean this
        // request key version is not usable for this tenant; execution errors (6Fxx, 64xx, 65xx) mean the SE could not be asked.
        private static RequestVerification Classify(ushort sw)
        {
            int sw1 = sw >> 8;
            return sw1 == 0x6F || sw1 == 0x64 || sw1 == 0x65 ? RequestVerification.Unavailable : RequestVerification.NoKey;
        }

        // Copies bytes [from, from + count) of prefix || message.
        private void Copy(int prefixLength, byte[] message, int from, int count, byte[] output, int at)
        {
            for (int i = 0; i < count; i++)
            {
                int k = from + i;
                output[at + i] = k < prefixLength ? _prefix[k] : message[k - prefixLength];
            }
        }
    }
}

using System;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.T1;

namespace NanoAgent.Drivers.Jrcp
{
    /// <summary>
    /// Answers one JRCP v1 message at a time for a <see cref="JrcpSession"/>. What each type gets, with the NXP
    /// plug-and-trust file that says so (server side: <c>accessManager/src/accessManager.c</c> and the board firmware
    /// <c>vcom/ksdk/vcom2i2c.c</c>; client side: <c>libCommon/smCom/smComSocket_fd.c</c>):
    /// WAIT_FOR_CARD → the ATR in force, or an empty payload when the SE cannot be reached (accessManager.c); APDU_DATA →
    /// the response APDU, or the two bytes 70 03 (<c>ERR_COMM_ERROR</c>, vcom2i2c.c) when the SE cannot be reached or is
    /// busy; CLOSE → 90 00 (vcom2i2c.c answers CLOSE_CONN with the status); TERMINAL_INFO and DEBUG_INFORMATION → an empty
    /// payload of the same type (accessManager.c); LOCK/UNLOCK → length 0 for success, LOCK length 1 with a cause byte for
    /// failure (accessManager.h); SET/GET_UINT32 → length 0, "failure" (accessManager.h). Anything else, and an oversized
    /// message other than an APDU, gets an ERROR_MESSAGE (0x03) with a line of text; an oversized APDU gets 67 00.
    /// </summary>
    internal sealed class JrcpRequestHandler
    {
        private const byte LockBusy = 0x01;
        private static readonly byte[] NoPayload = new byte[0];

        private readonly IJrcpChannel _channel;
        private readonly ILentSe _se;
        private readonly SeAccessLock _lock;
        private readonly IClock _clock;
        private readonly JrcpServerOptions _options;
        private readonly JrcpSession _session;
        private readonly byte[] _tx;
        private readonly byte[] _small = new byte[2];
        private bool _holding;
        private long _lockedAt;
        private long _lastMessage;

        internal JrcpRequestHandler(IJrcpChannel channel, ILentSe se, SeAccessLock seLock, IClock clock, JrcpServerOptions options, JrcpSession session)
        {
            _channel = channel;
            _se = se;
            _lock = seLock;
            _clock = clock;
            _options = options;
            _session = session;
            int response = options.MaxResponse < 258 ? 258 : options.MaxResponse;
            _tx = new byte[JrcpFraming.HeaderLength + (response > JrcpFraming.MaxLength ? JrcpFraming.MaxLength : response)];
        }

        internal int Answered { get; private set; }

        /// <summary>Answers a complete message; true when it was CLOSE.</summary>
        internal bool Handle(JrcpFrameReader message)
        {
            _lastMessage = _clock.Milliseconds;
            byte type = message.Type;
            byte nad = message.Nad;
            if (message.Oversized)
            {
                _session.Report("message type 0x" + type.ToString("X2") + " announced " + message.PayloadLength + " bytes, over the limit of "
                    + _options.MaxPayload + ": dropped");
                if (type == JrcpMessageType.ApduData)
                {
                    // ISO/IEC 7816-4 §5.6: 67 00, wrong length. The SE never saw it.
                    return Reply(type, nad, Sw(0x67, 0x00), 2, false);
                }

                return Error(nad, "message over " + _options.MaxPayload + " bytes");
            }

            switch (type)
            {
                case JrcpMessageType.WaitForCard:
                    return WaitForCard(nad);
                case JrcpMessageType.ApduData:
                    return Apdu(message.Buffer, message.PayloadLength, nad);
                case JrcpMessageType.Close:
                    ReleaseLock(null);
                    return Reply(type, nad, Sw(0x90, 0x00), 2, true);
                case JrcpMessageType.TerminalInfo:
                case JrcpMessageType.DebugInformation:
                case JrcpMessageType.SetUint32:
                case JrcpMessageType.GetUint32:
                    return Reply(type, nad, NoPayload, 0, false);
                case JrcpMessageType.Lock:
                    return Lock(message.PayloadLength, nad);
                case JrcpMessageType.Unlock:
                    ReleaseLock(null);
                    return Reply(type, nad, NoPayload, 0, false);
                default:
                    _session.Report("message type 0x" + type.ToString("X2") + " is not served: answered with an error");
                    return Error(nad, "message type 0x" + type.ToString("X2") + " is not served");
            }
        }

        /// <summary>Releases a LOCK held too long or idle too long.</summary>
        internal void CheckLock(long now)
        {
            if (!_holding)
            {
                return;
            }

            if (now - _lockedAt > _options.LockMaxMs)
            {
                ReleaseLock("it was held for " + (now - _lockedAt) + " ms, the most is " + _options.LockMaxMs);
            }
            else if (now - _lastMessage > _options.LockIdleMs)
            {
                ReleaseLock("no message came for " + (now - _lastMessage) + " ms");
            }
        }

        /// <summary>Gives back a LOCK if held; <paramref name="why"/> non-null reports it.</summary>
        internal void ReleaseLock(string why)
        {
            if (!_holding)
            {
                return;
            }

            // The line first: whoever takes the SE next must find the release already reported.
            if (why != null)
            {
                _session.Report("LOCK released: " + why);
            }

            _holding = false;
            _lock.Exit(this);
        }

        private bool WaitForCard(byte nad)
        {
            // The payload (the wait in ms, smComSocket_linux.c) is not needed: the SE is soldered on, it is there or not.
            if (!Take())
            {
                _session.Report("WAIT_FOR_CARD: the SE stayed busy for " + _options.LockWaitMs + " ms: answered with no ATR");
                return Reply(JrcpMessageType.WaitForCard, nad, NoPayload, 0, false);
            }

            int n;
            try
            {
                n = _se.ReadAtr(_tx, JrcpFraming.HeaderLength);
            }
            finally
            {
                Give();
            }

            if (n == 0)
            {
                _session.Report("WAIT_FOR_CARD: the SE cannot be reached: answered with no ATR");
            }

            return Send(JrcpMessageType.WaitForCard, nad, n, false);
        }

        private bool Apdu(byte[] message, int length, byte nad)
        {
            if (length == 0)
            {
                _session.Report("APDU_DATA without an APDU: answered 67 00");
                return Reply(JrcpMessageType.ApduData, nad, Sw(0x67, 0x00), 2, false);
            }

            if (!Take())
            {
                _session.Report("APDU_DATA: the SE stayed busy for " + _options.LockWaitMs + " ms: answered 70 03");
                return Reply(JrcpMessageType.ApduData, nad, Sw(0x70, 0x03), 2, false);
            }

            int n;
            try
            {
                n = _se.Transmit(message, JrcpFraming.HeaderLength, length, _tx, JrcpFraming.HeaderLength);
            }
            catch (BlockProtocolException e)
            {
                _session.Report("APDU_DATA: the SE link failed (" + e.Message + "): answered 70 03");
                return Reply(JrcpMessageType.ApduData, nad, Sw(0x70, 0x03), 2, false);
            }
            finally
            {
                Give();
            }

            return Send(JrcpMessageType.ApduData, nad, n, false);
        }

        private bool Lock(int length, byte nad)
        {
            if (length != 0)
            {
                // accessManager.h: LOCK has no payload (a timeout payload is "NOT_IMPLEMENTED" there too).
                _session.Report("LOCK with a payload of " + length + " bytes: answered with an error");
                return Error(nad, "LOCK takes no payload");
            }

            if (!_holding)
            {
                if (!_lock.TryEnter(this, _options.LockWaitMs))
                {
                    _session.Report("LOCK: the SE stayed busy for " + _options.LockWaitMs + " ms: refused");
                    _small[0] = LockBusy;
                    return Reply(JrcpMessageType.Lock, nad, _small, 1, false);
                }

                _holding = true;
                _lockedAt = _clock.Milliseconds;
            }

            return Reply(JrcpMessageType.Lock, nad, NoPayload, 0, false);
        }

        private bool Take()
        {
            return _holding || _lock.TryEnter(this, _options.LockWaitMs);
        }

        private void Give()
        {
            if (!_holding)
            {
                _lock.Exit(this);
            }
        }

        private bool Error(byte nad, string text)
        {
            int n = text.Length < _tx.Length - JrcpFraming.HeaderLength ? text.Length : _tx.Length - JrcpFraming.HeaderLength;
            for (int i = 0; i < n; i++)
            {
                char c = text[i];
                _tx[JrcpFraming.HeaderLength + i] = c >= ' ' && c < 0x7F ? (byte)c : (byte)'?';
            }

            return Send(JrcpMessageType.ErrorMessage, nad, n, false);
        }

        private byte[] Sw(byte sw1, byte sw2)
        {
            _small[0] = sw1;
            _small[1] = sw2;
            return _small;
        }

        private bool Reply(byte type, byte nad, byte[] payload, int length, bool close)
        {
            Array.Copy(payload, 0, _tx, JrcpFraming.HeaderLength, length);
            return Send(type, nad, length, close);
        }

        private bool Send(byte type, byte nad, int length, bool close)
        {
            JrcpFraming.WriteHeader(_tx, 0, type, nad, length);
            Answered++;
            if (!_channel.Write(_tx, 0, JrcpFraming.HeaderLength + length))
            {
                _session.Report("could not answer message type 0x" + type.ToString("X2") + ": the link broke");
            }

            return close;
        }
    }
}

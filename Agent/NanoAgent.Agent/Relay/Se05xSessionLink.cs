using System;
using System.Collections;
using NanoAgent.Agent.Se05x;
using NanoAgent.Agent.Tenants;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Se05x;

namespace NanoAgent.Agent.Relay
{
    /// <summary>
    /// The relay's side of SE05x tenants (docs/protocol.md §4.6): a run opens an applet session with the tenant's
    /// authentication object (CreateSession, AN12413 §4.5.1), every step goes into ProcessSessionCmd with that session's id
    /// (§4.5.2; the id is not under the tenant's C-MAC, middleware se05x_Transform_scp, so inserting it changes nothing the
    /// tenant signed), and the run closes the session (CloseSession, unless the tenant closed it itself). The tenant never sees
    /// the session id and cannot name another one. Used under the relay's lock.
    /// </summary>
    internal sealed class Se05xSessionLink
    {
        // AN12413 / se05x_enums.h: INS_MGMT with P2 SESSION_CLOSE; TAG_1.
        private const byte InsMgmt = 0x04;
        private const byte P2CloseSession = 0x1C;
        private const byte Tag1 = 0x41;
        private const int SessionIdLength = 8;

        private readonly Se05xApplet _applet;
        private readonly Hashtable _sessions = new Hashtable();
        private readonly Se05xSessionCommands _encoder = new Se05xSessionCommands(Se05xAppletVersion.MaxPayloadApplet7);
        private readonly byte[] _command = new byte[7 + Se05xAppletVersion.MaxPayloadApplet7 + 2];
        private readonly byte[] _answer = new byte[64];
        private readonly byte[] _close = new byte[4];

        public Se05xSessionLink(Se05xApplet applet)
        {
            _applet = applet;
            _encoder.CloseSession(_close, 0);
        }

        /// <summary>Gets the number of applet sessions the relay holds open on the SE now.</summary>
        public int OpenCount
        {
            get { return _sessions.Count; }
        }

        /// <summary>
        /// Opens the tenant's applet session. On success the response holds the applet's version (its SELECT answer) and
        /// '9000', which the relay answers an interactive opening with; otherwise the failing status word.
        /// </summary>
        public ushort Open(Tenant tenant, byte[] response, out int count)
        {
            // A session left by a run cut short is closed first (the SE holds at most two).
            Close(tenant);
            ushort sw = _applet.EnsureSelected();
            if (sw != StatusWord.Success)
            {
                return Answer(sw, response, out count);
            }

            // CreateSession: 80 04 00 1B 06 41 04 authId (Se05x_API_CreateSession, no Le) -> TLV[TAG_1] 8-byte session id.
            sw = Create(tenant, out int r);
            if (sw == 0x6A84 && _sessions.Count == 0)
            {
                // The applet's two sessions are taken, yet the relay holds none: sessions its CloseSession could not end (one
                // never authenticated refuses a plain close) are left on the SE. A SELECT ends them all; then once more.
                LeakedSessionsCleared++;
                _applet.Reselect();
                sw = Create(tenant, out r);
            }

            if (sw != StatusWord.Success)
            {
                return Answer(sw, response, out count);
            }

            byte[] id = SessionId(_answer, r - 2);
            if (id == null)
            {
                // A '9000' without a session id is not an answer the applet gives: treat it as a failed opening.
                return Answer(0x6F00, response, out count);
            }

            _sessions[tenant.Id] = new Entry(id);
            count = _applet.CopyVersion(response, 0);
            response[count++] = 0x90;
            response[count++] = 0x00;
            return StatusWord.Success;
        }

        /// <summary>Gets how many times the relay selected the applet again to free sessions left on the SE.</summary>
        public int LeakedSessionsCleared { get; private set; }

        /// <summary>Sends one step of the tenant inside ProcessSessionCmd and returns the answer's length in <paramref name="response"/>.</summary>
        public int Send(Tenant tenant, byte[] step, byte[] response)
        {
            Entry entry = (Entry)_sessions[tenant.Id];
            if (entry == null)
            {
                // The relay opens the session before any step; without one the applet would answer in its default session.
                int none;
                Answer(0x6985, response, out none);
                return none;
            }

            int n = Wrap(entry.Id, step, 0, step.Length);
            int r = _applet.Transceive(_command, 0, n, response, 0);
            if (IsClose(step) && r >= 2 && StatusWord.Read(response, 0, r) == StatusWord.Success)
            {
                // The tenant closed its own session (under its C-MAC): nothing left for the relay to close.
                entry.Closed = true;
            }

            return r;
        }

        /// <summary>Closes the tenant's applet session unless it closed it itself; neither the answer nor a link fault is reported.</summary>
        public void Close(Tenant tenant)
        {
            Entry entry = (Entry)_sessions[tenant.Id];
            if (entry == null)
            {
                return;
            }

            _sessions.Remove(tenant.Id);
            if (entry.Closed)
            {
                return;
            }

            try
            {
                // CloseSession in the session (Se05x_API_CloseSession). A session the tenant authenticated may want it under
                // its C-MAC; then the applet keeps it until its next SELECT or reset, and the answer does not matter here.
                int n = Wrap(entry.Id, _close, 0, _close.Length);
                _applet.Transceive(_command, 0, n, _answer, 0);
            }
            catch (Exception e)
            {
                // No exception filter (support on the nanoFramework runtime is unconfirmed). Anything else is a bug.
                if (!ScriptRelay.IsLinkFault(e))
                {
                    throw;
                }
            }
        }

        private ushort Create(Tenant tenant, out int count)
        {
            int n = _encoder.CreateSession(tenant.Se05xAuthObject, _command, 0);
            count = _applet.Transceive(_command, 0, n, _answer, 0);
            return count < 2 ? (ushort)0x6F00 : StatusWord.Read(_answer, 0, count);
        }

        /// <summary>Forgets every session (the SE was reset or re-selected: they are gone on its side too).</summary>
        public void ForgetAll()
        {
            _sessions.Clear();
        }

        // ProcessSessionCmd (se05x_Transform): 80 05 00 00, TLV[TAG_SESSION_ID] 8 bytes, TLV[TAG_1] the step as the tenant sent
        // it, asked with an extended Lc and Le 0000 (the step's answer may be long and comes back as it is, not wrapped).
        private int Wrap(byte[] id, byte[] step, int offset, int count)
        {
            return _encoder.ProcessSessionCommand(id, 0, step, offset, count, true, _command, 0);
        }

        private static bool IsClose(byte[] step)
        {
            return step.Length >= 4 && (step[0] & 0xFB) == 0x80 && step[1] == InsMgmt && step[3] == P2CloseSession;
        }

        // TLV[TAG_1] with the 8-byte id; the applet writes the length as '82 00 08' (NXP community traces, se05x-facts §5).
        private static byte[] SessionId(byte[] answer, int length)
        {
            if (length < 2 || answer[0] != Tag1)
            {
                return null;
            }

            int at = 1;
            int value;
            if (answer[at] < 0x80)
            {
                value = answer[at++];
            }
            else if (answer[at] == 0x81 && length >= 3)
            {
                value = answer[at + 1];
                at += 2;
            }
            else if (answer[at] == 0x82 && length >= 4)
            {
                value = (answer[at + 1] << 8) | answer[at + 2];
                at += 3;
            }
            else
            {
                return null;
            }

            if (value != SessionIdLength || at + value != length)
            {
                return null;
            }

            byte[] id = new byte[SessionIdLength];
            Array.Copy(answer, at, id, 0, SessionIdLength);
            return id;
        }

        private static ushort Answer(ushort sw, byte[] response, out int count)
        {
            response[0] = (byte)(sw >> 8);
            response[1] = (byte)sw;
            count = 2;
            return sw;
        }

        private sealed class Entry
        {
            public Entry(byte[] id)
            {
                Id = id;
            }

            public byte[] Id { get; }

            public bool Closed { get; set; }
        }
    }
}

using System;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.Diagnostics;
using NanoAgent.Drivers.Scp03;
using NanoAgent.Drivers.T1;

namespace NanoAgent.Agent.Runtime
{
    /// <summary>
    /// The runtime's SE link: wiring diagnostics, opening the block protocol and platform SCP03, and a stable
    /// <see cref="IApduTransport"/> for the relay and the gates that survives re-opening. A block-protocol or secure-channel
    /// failure during an exchange marks the link down (the exception still reaches the caller); the runtime re-opens it.
    /// </summary>
    internal sealed class RuntimeSeLink : IApduTransport
    {
        private readonly AgentPlatform _platform;
        private readonly Scp03StaticKeys _keys;
        private ISeTransport _transport;
        private PlatformScp03Transport _scp;

        public RuntimeSeLink(AgentPlatform platform, Scp03StaticKeys keys)
        {
            _platform = platform;
            _keys = keys;
        }

        public bool IsUp { get; private set; }

        /// <summary>Gets why the link went down or failed to open, for the log.</summary>
        public string LastError { get; private set; }

        public string Description
        {
            get
            {
                string scp = _scp == null ? "platform SCP03 off" : "platform SCP03 level " + _scp.SecurityLevel.ToString("X2") + " " + _keys.ToString();
                return _transport.ProtocolName + " on " + _platform.Link.Description + ", " + scp;
            }
        }

        /// <summary>Gets the ATR (SE05x) or CIP (GP) of the link in force, or null while it is down.</summary>
        public byte[] InterfaceBytes
        {
            get { return IsUp ? _transport.InterfaceBytes : null; }
        }

        /// <summary>Gets the largest plain command data field one wrapped short APDU carries.</summary>
        public int MaxCommandData
        {
            get { return _scp == null ? 255 : _scp.MaxCommandData; }
        }

        /// <summary>Gets the largest command data field one APDU carries when extended APDUs are allowed (NXP's IoT applet takes
        /// them): the transport's own limit without platform SCP03, else what the secure channel wraps.</summary>
        public int MaxExtendedCommandData
        {
            get { return _scp == null ? 65535 : _scp.MaxCommandData; }
        }

        /// <summary>Gets a value indicating whether platform SCP03 wraps the link.</summary>
        public bool PlatformScpOn
        {
            get { return _scp != null; }
        }

        public DiagnosticReport Diagnose()
        {
            WiringDiagnostics diagnostics = new WiringDiagnostics(_platform.Link, _platform.Protocol, _platform.Clock, null);
            diagnostics.ScanBus = _platform.ScanBus;
            return diagnostics.Run();
        }

        /// <summary>Opens the block protocol and platform SCP03 afresh; false (with <see cref="LastError"/>) when the SE refuses.</summary>
        public bool TryOpen()
        {
            Drop();
            try
            {
                _transport = _platform.Protocol.Create(_platform.Link, _platform.Clock);
                _transport.Open();
                if (_keys != null)
                {
                    // GP Amd D §5.2: INITIALIZE UPDATE + EXTERNAL AUTHENTICATE to the ISD; everything after is wrapped.
                    _scp = new PlatformScp03Transport(_transport, _platform.Random);
                    _scp.Open(_keys);
                }

                IsUp = true;
                return true;
            }
            catch (BlockProtocolException e)
            {
                LastError = "block protocol: " + e.Message;
            }
            catch (SecureChannelException e)
            {
                LastError = "platform SCP03: " + e.Message;
            }

            Drop();
            return false;
        }

        public int Transceive(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset)
        {
            if (!IsUp)
            {
                throw new BlockProtocolException(BlockProtocolError.NotOpen, "The SE link is down and being re-opened.");
            }

            try
            {
                IApduTransport top = _scp != null ? (IApduTransport)_scp : _transport;
                return top.Transceive(command, commandOffset, commandCount, response, responseOffset);
            }
            catch (BlockProtocolException e)
            {
                LastError = "block protocol: " + e.Message;
                IsUp = false;
                throw;
            }
            catch (SecureChannelException e)
            {
                LastError = "platform SCP03: " + e.Message;
                IsUp = false;
                throw;
            }
        }

        public void Close()
        {
            if (IsUp)
            {
                try
                {
                    _transport.Close();
                }
                catch (BlockProtocolException)
                {
                    // Going away anyway.
                }
            }

            Drop();
        }

        private void Drop()
        {
            IsUp = false;
            _scp = null;
            if (_transport != null)
            {
                _transport.Dispose();
                _transport = null;
            }
        }
    }
}

using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.T1;

namespace NanoAgent.Drivers.Remote
{
    /// <summary>
    /// The client (SE) side of the GlobalPlatform SE Abstract Communication Layer over TCP/IP: sends its name, then answers
    /// each command message from the test tool with a response message, until REQ_DISCONNECT or the tool closes the stream.
    /// Malformed or unsupported commands are answered with the protocol's error codes and the session goes on; only a broken
    /// stream ends it with <see cref="RemoteException"/>. Buffers are allocated once, in the constructor.
    /// </summary>
    public sealed class RemoteSeSession
    {
        private const int DiagTextLimit = 256;
        private readonly IByteStream _stream;
        private readonly IRemoteSe _se;
        private readonly IClock _clock;
        private readonly IRemoteSessionObserver _observer;
        private readonly byte[] _in;
        private readonly byte[] _out;
        private readonly byte[] _apdu;
        private readonly RemoteCommand _command;
        private readonly RemoteResponse _response = new RemoteResponse();

        /// <summary>Creates a session over a connected stream.</summary>
        /// <param name="stream">The stream to the test tool; not owned.</param>
        /// <param name="se">The SE to serve.</param>
        /// <param name="clock">The clock that times each command against its <c>timeout</c>.</param>
        /// <param name="maxApdu">The longest command or response APDU to carry (at least 261).</param>
        /// <param name="observer">Hears about each command served, or null.</param>
        public RemoteSeSession(IByteStream stream, IRemoteSe se, IClock clock, int maxApdu, IRemoteSessionObserver observer)
        {
            _stream = stream;
            _se = se;
            _clock = clock;
            _observer = observer;
            MaxApdu = maxApdu < 261 ? 261 : maxApdu;

            // Hex with a space between bytes takes three characters a byte; 512 bytes leave room for the JSON around it.
            MaxMessage = (MaxApdu * 3) + 512;
            _in = new byte[MaxMessage];
            _out = new byte[RemoteFraming.HeaderLength + MaxMessage + 2048];
            _apdu = new byte[MaxApdu];
            _command = new RemoteCommand(MaxApdu);
        }

        /// <summary>Gets the longest APDU the session carries.</summary>
        public int MaxApdu { get; }

        /// <summary>Gets the longest command message body the session reads; longer ones are refused with ERR_INVALID_REQUEST.</summary>
        public int MaxMessage { get; }

        /// <summary>Gets the number of commands answered so far.</summary>
        public int RequestsServed { get; private set; }

        /// <summary>Gets how the session ended, or <see cref="RemoteSessionEnd.Running"/>.</summary>
        public RemoteSessionEnd End { get; private set; }

        /// <summary>Sends the client name message, the first message of a session (README "Client Name Message").</summary>
        /// <param name="name">The name; characters outside printable ASCII are sent as '?'.</param>
        /// <exception cref="RemoteException">The name is empty or too long, or the stream failed.</exception>
        public void SendName(string name)
        {
            if (name == null || name.Length == 0 || name.Length > 1024)
            {
                throw new RemoteException(RemoteError.InvalidArgument, "the client name must have 1 to 1024 characters");
            }

            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                _out[RemoteFraming.HeaderLength + i] = c >= ' ' && c < 0x7F ? (byte)c : (byte)'?';
            }

            RemoteFraming.WriteHeader(_out, 0, name.Length);
            _stream.Write(_out, 0, RemoteFraming.HeaderLength + name.Length);
        }

        /// <summary>Serves commands until the session ends.</summary>
        /// <returns>How it ended.</returns>
        /// <exception cref="RemoteException">The stream failed or broke off inside a message.</exception>
        public RemoteSessionEnd Run()
        {
            while (ServeOne())
            {
            }

            return End;
        }

        /// <summary>Reads one command message and answers it.</summary>
        /// <returns>True while the session goes on; false once it ended (see <see cref="End"/>).</returns>
        /// <exception cref="RemoteException">The stream failed or broke off inside a message.</exception>
        public bool ServeOne()
        {
            if (End != RemoteSessionEnd.Running)
            {
                return false;
            }

            int got = RemoteFraming.ReadFully(_stream, _in, 0, RemoteFraming.HeaderLength);
            if (got == 0)
            {
                End = RemoteSessionEnd.ToolClosed;
                return false;
            }

            if (got < RemoteFraming.HeaderLength)
            {
                throw new RemoteException(RemoteError.Truncated, "the test tool closed the connection inside a length prefix");
            }

            int length = RemoteFraming.ReadHeader(_in, 0);
            if (length < 0)
            {
                throw new RemoteException(RemoteError.InvalidLength, "the test tool sent a length prefix with its top bit set");
            }

            _response.Reset();
            if (length > _in.Length)
            {
                Drain(length);
                _response.FailClient(RemoteErrorCode.InvalidRequest, "the message is longer than this client accepts (" + MaxMessage.ToString() + " bytes)");
                Answer(-1, 0);
                return true;
            }

            if (RemoteFraming.ReadFully(_stream, _in, 0, length) < length)
            {
                throw new RemoteException(RemoteError.Truncated, "the test tool closed the connection inside a message");
            }

            RemoteErrorCode parsed = RemoteCommandParser.Parse(_in, 0, length, _command);
            if (parsed != RemoteErrorCode.Success)
            {
                _response.FailClient(parsed, parsed == RemoteErrorCode.JsonParsing
                    ? "the command is not a JSON object with an integer request (and timeout)"
                    : "the command's data is not a string");
                Answer(_command.Request, 0);
                return true;
            }

            if (_command.Request == (int)RemoteRequestType.Disconnect)
            {
                // README "Request Types": REQ_DISCONNECT: the client shall disconnect; no response expected.
                End = RemoteSessionEnd.Disconnected;
                if (_observer != null)
                {
                    _observer.OnServed(_command.Request, _response, 0);
                }

                return false;
            }

            long start = _clock.Milliseconds;
            Execute();
            long elapsed = _clock.Milliseconds - start;
            if (_command.TimeoutMs > 0 && elapsed > _command.TimeoutMs)
            {
                _response.Reset();
                _response.FailClient(RemoteErrorCode.Timeout, "the SE took " + elapsed.ToString() + " ms, more than the command's timeout");
            }

            Answer(_command.Request, elapsed);
            return true;
        }

        private void Execute()
        {
            int request = _command.Request;
            try
            {
                switch (request)
                {
                    case (int)RemoteRequestType.Diag:
                        string text = _se.Describe();
                        _response.SetText(text.Length > DiagTextLimit ? text.Substring(0, DiagTextLimit) : text);
                        return;
                    case (int)RemoteRequestType.Echo:
                        _response.SetRawString(_in, _command.RawDataOffset, _command.RawDataCount);
                        return;
                    case (int)RemoteRequestType.Command:
                        if (!_command.DataIsHex || _command.DataCount == 0)
                        {
                            _response.FailClient(RemoteErrorCode.InvalidRequest,
                                "data must be a command APDU in hexadecimal, at most " + MaxApdu.ToString() + " bytes");
                            return;
                        }

                        _response.SetHex(_apdu, 0, _se.Transmit(_command.Data, 0, _command.DataCount, _apdu, 0));
                        return;
                    case (int)RemoteRequestType.ColdReset:
                        _response.SetHex(_apdu, 0, _se.ColdReset(_apdu, 0));
                        return;
                    case (int)RemoteRequestType.WarmReset:
                        _response.SetHex(_apdu, 0, _se.WarmReset(_apdu, 0));
                        return;
                    default:
                        _response.FailClient(RemoteErrorCode.InvalidRequest, request <= (int)RemoteRequestType.PowerOnField
                            ? "request " + request.ToString() + " is not supported: this client serves a contact SE (requests 1, 2, 3, 6, 10, 11)"
                            : "request " + request.ToString() + " is unknown");
                        return;
                }
            }
            catch (BlockProtocolException e)
            {
                RemoteErrorMapping.Apply(e.Error, e.Message, _response);
            }
        }

        private void Answer(int request, long elapsed)
        {
            int count = RemoteResponseWriter.Write(_response, _out, RemoteFraming.HeaderLength, _out.Length - RemoteFraming.HeaderLength);
            RemoteFraming.WriteHeader(_out, 0, count);
            _stream.Write(_out, 0, RemoteFraming.HeaderLength + count);
            RequestsServed++;
            if (_observer != null)
            {
                _observer.OnServed(request, _response, elapsed);
            }
        }

        private void Drain(int length)
        {
            while (length > 0)
            {
                int n = _stream.Read(_in, 0, length < _in.Length ? length : _in.Length);
                if (n <= 0)
                {
                    throw new RemoteException(RemoteError.Truncated, "the test tool closed the connection inside a message");
                }

                length -= n;
            }
        }
    }
}

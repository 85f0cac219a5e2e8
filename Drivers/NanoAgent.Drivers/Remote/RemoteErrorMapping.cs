using NanoAgent.Drivers.T1;

namespace NanoAgent.Drivers.Remote
{
    /// <summary>
    /// Maps a block-protocol failure to the protocol's layers: the bus and block protocol are the "terminal" (the reader in
    /// the reference client); oversized APDUs are the command's fault, so the "client" layer. The README names the codes,
    /// not this mapping: it is ours (docs/remote-test-tool.md).
    /// </summary>
    internal static class RemoteErrorMapping
    {
        internal static void Apply(BlockProtocolError error, string message, RemoteResponse response)
        {
            switch (error)
            {
                case BlockProtocolError.CommandTooLarge:
                case BlockProtocolError.ResponseTooLarge:
                    response.FailClient(RemoteErrorCode.InvalidRequest, message);
                    break;
                case BlockProtocolError.Timeout:
                    response.FailTerminal(RemoteErrorCode.Timeout, message);
                    break;
                case BlockProtocolError.NoDevice:
                case BlockProtocolError.BusFault:
                    response.FailTerminal(RemoteErrorCode.InvalidTerminal, message);
                    break;
                default:
                    // NotOpen, RetriesExhausted, ProtocolViolation, Aborted, InvalidInterfaceParameters, DeviceReset:
                    // the link is up but cannot carry this command now (a reset usually recovers it).
                    response.FailTerminal(RemoteErrorCode.InvalidState, message);
                    break;
            }
        }
    }
}

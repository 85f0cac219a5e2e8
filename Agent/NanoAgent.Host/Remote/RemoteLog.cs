using NanoAgent.Drivers.Remote;

namespace NanoAgent.Host.Remote;

/// <summary>Prints one line per command a remote test-tool session served.</summary>
/// <param name="output">Where the lines go.</param>
public sealed class RemoteLog(TextWriter output) : IRemoteSessionObserver
{
    /// <summary>Names a request code as the README's "Request Types" table does.</summary>
    /// <param name="request">The code.</param>
    /// <returns>The name, such as "REQ_COMMAND".</returns>
    public static string Name(int request) => request switch
    {
        0 => "REQ_CONNECT",
        1 => "REQ_DIAG",
        2 => "REQ_DISCONNECT",
        3 => "REQ_ECHO",
        4 => "REQ_INIT",
        5 => "REQ_RESTART",
        6 => "REQ_COMMAND",
        7 => "REQ_COMMAND_A",
        8 => "REQ_COMMAND_B",
        9 => "REQ_COMMAND_F",
        10 => "REQ_COLD_RESET",
        11 => "REQ_WARM_RESET",
        12 => "REQ_POWER_OFF_FIELD",
        13 => "REQ_POWER_ON_FIELD",
        -1 => "(unparsed message)",
        _ => $"request {request}",
    };

    /// <inheritdoc />
    public void OnServed(int request, RemoteResponse response, long elapsedMs)
    {
        string outcome = response.ClientCode != RemoteErrorCode.Success ? $"client {(int)response.ClientCode}: {response.ClientDescription}"
            : response.TerminalCode != RemoteErrorCode.Success ? $"terminal {(int)response.TerminalCode}: {response.TerminalDescription}"
            : response.CardCode != RemoteErrorCode.Success ? $"card {(int)response.CardCode}: {response.CardDescription}"
            : "OK";
        output.WriteLine($"{Name(request),-16} {outcome} ({elapsedMs} ms)");
    }
}

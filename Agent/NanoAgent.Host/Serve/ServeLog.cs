using NanoAgent.Drivers.Jrcp;

namespace NanoAgent.Host.Serve;

/// <summary>The one place every front end of <c>serve</c> writes its lines: whole lines, one writer at a time.</summary>
/// <param name="output">Where lines go.</param>
public sealed class ServeLog(TextWriter output)
{
    private readonly object _gate = new();

    /// <summary>Writes one line.</summary>
    /// <param name="line">The line.</param>
    public void Line(string line)
    {
        lock (_gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    /// <summary>Gets an observer that writes a session's events with a prefix naming the session.</summary>
    /// <param name="prefix">E.g. "jrcp 127.0.0.1:40312".</param>
    /// <returns>The observer.</returns>
    public IJrcpObserver For(string prefix) => new Prefixed(this, prefix);

    private sealed class Prefixed(ServeLog log, string prefix) : IJrcpObserver
    {
        public void Event(string line) => log.Line(prefix + ": " + line);
    }
}

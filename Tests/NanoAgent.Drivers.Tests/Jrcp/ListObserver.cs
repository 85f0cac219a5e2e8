using NanoAgent.Drivers.Jrcp;

namespace NanoAgent.Drivers.Tests.Jrcp;

public sealed class ListObserver : IJrcpObserver
{
    private readonly List<string> _lines = [];

    public string[] Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public void Event(string line)
    {
        lock (_lines)
        {
            _lines.Add(line);
        }
    }
}

using NanoAgent.Drivers.Jrcp;

namespace NanoAgent.Drivers.Tests.Jrcp;

public sealed class ListObserver : IJrcpObserver
{
    private readonly List<string> _lines = [];

    /// <summary>Gets or sets what runs on each event, on the reporting thread, before the line is kept.</summary>
    public Action<string>? OnEvent { get; set; }

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
        OnEvent?.Invoke(line);
        lock (_lines)
        {
            _lines.Add(line);
        }
    }
}

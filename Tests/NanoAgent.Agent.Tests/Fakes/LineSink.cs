using NanoAgent.Agent.Security;

namespace NanoAgent.Agent.Tests.Fakes;

/// <summary>Keeps the lines a <see cref="SecurityLog"/> writes.</summary>
public sealed class LineSink : ISecurityLogSink
{
    public List<string> Lines { get; } = [];

    public void Line(string line)
    {
        lock (Lines)
        {
            Lines.Add(line);
        }
    }
}

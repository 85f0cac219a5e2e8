namespace NanoAgent.Fleet;

/// <summary>A device list that cannot be used: the line and what is wrong with it.</summary>
public sealed class DeviceListException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="line">The 1-based line, or 0 for the whole list.</param>
    /// <param name="problem">What is wrong.</param>
    public DeviceListException(int line, string problem)
        : base(line > 0 ? $"line {line}: {problem}" : problem)
    {
        Line = line;
    }

    /// <summary>Gets the 1-based line, or 0 for the whole list.</summary>
    public int Line { get; }
}

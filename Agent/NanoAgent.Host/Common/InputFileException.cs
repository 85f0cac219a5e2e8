namespace NanoAgent.Host.Common;

/// <summary>
/// A file the command was given (or reads by default) cannot be used: missing where it must exist, a directory, unreadable,
/// or not the kind of file expected. The CLI prints it as one line, <c>error: &lt;path&gt;: &lt;problem&gt;</c>, and exits 2.
/// </summary>
public sealed class InputFileException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The file, as the user gave it.</param>
    /// <param name="problem">What is wrong, in words a person can act on.</param>
    /// <param name="inner">The cause, or null.</param>
    public InputFileException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        FilePath = path;
        Problem = problem;
    }

    /// <summary>Gets the file, as the user gave it.</summary>
    public string FilePath { get; }

    /// <summary>Gets what is wrong.</summary>
    public string Problem { get; }
}

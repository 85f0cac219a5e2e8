namespace NanoAgent.Host.Backend;

/// <summary>A script file that cannot be read; the message names the file and line.</summary>
public sealed class ScriptFileException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and where.</param>
    public ScriptFileException(string message)
        : base(message)
    {
    }
}

namespace NanoAgent.VirtualSe.State;

/// <summary>The one exception of the card state layer; <see cref="Error"/> says why and the message names the file.</summary>
public sealed class CardStateException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="error">The cause.</param>
    /// <param name="message">A sentence a person can act on, naming the file.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public CardStateException(CardStateError error, string message, Exception? inner = null)
        : base(message, inner)
    {
        Error = error;
    }

    /// <summary>Gets the cause.</summary>
    public CardStateError Error { get; }
}

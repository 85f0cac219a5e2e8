namespace NanoAgent.VirtualSe.Card;

/// <summary>What a handler produced: the number of response data bytes it wrote and the status word.</summary>
/// <param name="Length">Response data bytes written to the output (no status word).</param>
/// <param name="StatusWord">SW1 SW2.</param>
public readonly record struct CardReply(int Length, ushort StatusWord)
{
    /// <summary>A reply without data.</summary>
    /// <param name="statusWord">SW1 SW2.</param>
    /// <returns>The reply.</returns>
    public static CardReply Status(ushort statusWord) => new(0, statusWord);

    /// <summary>A reply with data and '9000'.</summary>
    /// <param name="length">Response data bytes written.</param>
    /// <returns>The reply.</returns>
    public static CardReply Data(int length) => new(length, StatusWords.Ok);
}

using NanoAgent.Drivers.Apdu;

namespace NanoAgent.Agent.Tests.Gating;

/// <summary>A fake SE that answers from a script, in order, and records every command APDU in hex.</summary>
internal sealed class ScriptedSe(params string[] answers) : IApduTransport
{
    private readonly Queue<string> _answers = new(answers);

    public List<string> Sent { get; } = [];

    public int Transceive(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset)
    {
        Sent.Add(Hex.Of(command, commandOffset, commandCount));
        byte[] answer = Hex.Parse(_answers.Count > 0 ? _answers.Dequeue() : "6F00");
        answer.CopyTo(response, responseOffset);
        return answer.Length;
    }
}

using CsCheck;
using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.VirtualSe.Tests.Gp;

/// <summary>Random APDUs to an authenticated security domain session.</summary>
public sealed class GpSessionPropertyTests
{
    [Fact]
    public void RandomApdus_ToAuthenticatedSession_AlwaysAnswerStatusWord()
    {
        Gen.Byte.Array[0, 270].Array[1, 6].Sample(commands =>
        {
            var card = new CardManager(CardState.CreateFresh());
            var host = new GpHost(card);
            Assert.Equal("9000", host.Open(CardState.DefaultIsdAid, GpHost.InitialKeys()));
            byte[] response = new byte[70000];
            foreach (byte[] command in commands)
            {
                int n = card.Process(command, response);
                Assert.InRange(n, 2, response.Length);
                Assert.NotEqual(0x6F, response[n - 2]); // no internal fault
            }
        }, iter: 300);
    }
}

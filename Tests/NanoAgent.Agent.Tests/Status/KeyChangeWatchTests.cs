using NanoAgent.Agent.Status;
using NanoAgent.Drivers.Apdu;

namespace NanoAgent.Agent.Tests.Status;

/// <summary>docs/key-status.md: PUT KEY, DELETE and INSTALL accepted by the SE (headers in clear under SCP03) count as key changes.</summary>
public class KeyChangeWatchTests
{
    [Theory]
    [InlineData("84D8000118", "9000", true)]   // PUT KEY under SCP03 (C-MAC: CLA 84)
    [InlineData("80D8000118", "9000", true)]
    [InlineData("85E4000008", "9000", true)]   // DELETE on channel 1
    [InlineData("E4E60C0010", "9000", true)]   // INSTALL on channel 8 (further class, secure messaging)
    [InlineData("84D8000118", "6982", false)]  // refused by the SE
    [InlineData("84D8000118", "6A80", false)]
    [InlineData("80CA00E000", "9000", false)]  // GET DATA
    [InlineData("00E4000000", "9000", false)]  // ISO class: not a GlobalPlatform command
    [InlineData("FFD8000000", "9000", false)]  // CLA FF is invalid
    public void Transceive_CountsOnlyAcceptedKeyChangingCommands(string command, string sw, bool counted)
    {
        var watch = new KeyChangeWatch(new Answering(Hex.Parse(sw)));
        byte[] cmd = Hex.Parse(command);
        byte[] rsp = new byte[16];

        Assert.Equal(2, watch.Transceive(cmd, 0, cmd.Length, rsp, 0));

        Assert.Equal(counted ? 1 : 0, watch.Changes);
    }

    [Fact]
    public void ChangesKeys_TooShort_False() => Assert.False(KeyChangeWatch.ChangesKeys([0x80, 0xD8, 0x00], 0, 3));

    private sealed class Answering(byte[] answer) : IApduTransport
    {
        public int Transceive(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset)
        {
            answer.CopyTo(response, responseOffset);
            return answer.Length;
        }
    }
}

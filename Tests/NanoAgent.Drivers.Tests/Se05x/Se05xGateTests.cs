using NanoAgent.Drivers.Se05x;
using NanoAgent.Drivers.Tests.Apdu;

namespace NanoAgent.Drivers.Tests.Se05x;

// The fake SE (ScriptedApduTransport) records every APDU; the expected APDUs are those of Se05xCommandTests.
public class Se05xGateTests
{
    private const string Mac32 = "A0A1A2A3A4A5A6A7A8A9AAABACADAEAFB0B1B2B3B4B5B6B7B8B9BABBBCBDBEBF";

    [Fact]
    public void SignReading_IncrementsReadsThenMacsCounterAndReading()
    {
        var se = new ScriptedApduTransport("9000", "4108 0000000000000007 9000", "4120" + Mac32 + "9000");
        var gate = new Se05xGate(se);
        byte[] reading = Hex.Parse("0102030405");
        byte[] mac = new byte[32];
        Assert.Equal(Se05xOutcome.Success, gate.SignReading(0x1001, Se05xMacAlgorithm.HmacSha256, 0x30000001, reading, 0, 5, mac, 0, out ulong counter, out int macLength));
        Assert.Equal(7ul, counter);
        Assert.Equal(Mac32, Hex.Of(mac, 0, macLength));
        Assert.Equal(new[]
        {
            "8001080006410430000001",
            "80020000000006410430000001" + "0000",
            "80030D4518" + "410400001001" + "420119" + "430D" + "0000000000000007" + "0102030405",
        }, se.Sent);
    }

    [Fact]
    public void SignReading_CounterRefused_StopsBeforeMac()
    {
        var se = new ScriptedApduTransport("6985");
        var gate = new Se05xGate(se);
        Assert.Equal(Se05xOutcome.ConditionsNotSatisfied, gate.SignReading(1, Se05xMacAlgorithm.Cmac128, 2, new byte[] { 1 }, 0, 1, new byte[16], 0, out _, out int length));
        Assert.Equal(0, length);
        Assert.Single(se.Sent);
    }

    [Fact]
    public void VerifyCommand_FreshAndValid_AdvancesCounter()
    {
        var se = new ScriptedApduTransport("4104 00000005 9000", "410101 9000", "9000");
        var gate = new Se05xGate(se);
        byte[] command = Hex.Parse("00000006 AA55");
        byte[] mac = Hex.Parse(Mac32[..32]);
        Assert.Equal(Se05xOutcome.Success, gate.VerifyCommand(0x1002, Se05xMacAlgorithm.Cmac128, 0x30000002, command, 0, command.Length, mac, 0, 16));
        Assert.Equal(new[]
        {
            "80020000000006410430000002" + "0000",
            "80030D4623" + "410400001002" + "420131" + "4306" + "00000006AA55" + "4510" + Mac32[..32],
            "800108000C" + "410430000002" + "430400000006",
        }, se.Sent);
    }

    [Theory]
    [InlineData("00000005AA55")]
    [InlineData("00000004AA55")]
    [InlineData("000000")]
    public void VerifyCommand_ReplayedStaleOrShort_RejectedWithoutMacCheck(string hex)
    {
        var se = new ScriptedApduTransport("4104 00000005 9000");
        var gate = new Se05xGate(se);
        byte[] command = Hex.Parse(hex);
        Assert.Equal(Se05xOutcome.Rejected, gate.VerifyCommand(1, Se05xMacAlgorithm.Cmac128, 2, command, 0, command.Length, new byte[16], 0, 16));
        Assert.Single(se.Sent);
    }

    [Fact]
    public void VerifyCommand_WrongMac_RejectedAndCounterUntouched()
    {
        var se = new ScriptedApduTransport("4104 00000005 9000", "410102 9000");
        var gate = new Se05xGate(se);
        byte[] command = Hex.Parse("00000009 01");
        Assert.Equal(Se05xOutcome.Rejected, gate.VerifyCommand(1, Se05xMacAlgorithm.HmacSha256, 2, command, 0, command.Length, new byte[32], 0, 32));
        Assert.Equal(2, se.Sent.Count);
    }

    [Fact]
    public void VerifyCommand_PolicyRefusesValidation_ReturnsOutcome()
    {
        var se = new ScriptedApduTransport("4104 00000005 9000", "6986");
        var gate = new Se05xGate(se);
        byte[] command = Hex.Parse("00000009 01");
        Assert.Equal(Se05xOutcome.CommandNotAllowed, gate.VerifyCommand(1, Se05xMacAlgorithm.HmacSha256, 2, command, 0, command.Length, new byte[32], 0, 32));
    }

    [Fact]
    public void ReadAttestedSensor_SendsOneAttestedCommandSetAndCopiesAnswer()
    {
        string chip = new string('C', 36), ts = new string('7', 24), sig = "3006020101020102";
        string answer = "410A 015A035A045A00021234" + "4212" + chip + "4F0C" + ts + "5208" + sig + "9000";
        var se = new ScriptedApduTransport(answer);
        var gate = new Se05xGate(se);
        byte[] fresh = Hex.Parse(Mac32[..32]);
        byte[] response = new byte[Se05xGate.MaxResponseLength];
        Assert.Equal(Se05xOutcome.Success, gate.ReadAttestedSensor(0x20000002, 0x44, Se05xI2cmCommandSet.Baud100Khz, new byte[] { 0xE0 }, 0, 1, 2, fresh, 0, true, response, 0, out int count, out var parsed));
        Assert.Equal(Hex.Of(Hex.Parse(answer)), Hex.Of(response, 0, count));
        Assert.Equal(Se05xI2cmResult.Success, Se05xI2cmResult.Walk(response, parsed.ResultOffset, parsed.ResultLength, out int at, out int length));
        Assert.Equal("1234", Hex.Of(response, at, length));
        Assert.Equal("80230030" + "00002B" + "410E" + "0100024400" + "030001E0" + "0400020002" + "420420000002" + "430121" + "4710" + Mac32[..32] + "0000", Assert.Single(se.Sent));
    }

    [Fact]
    public void ReadAttestedSensor_SensorNack_Rejected()
    {
        string answer = "4104 015A0301" + "4212" + new string('C', 36) + "4F0C" + new string('7', 24) + "5208" + "3006020101020102" + "9000";
        var gate = new Se05xGate(new ScriptedApduTransport(answer));
        byte[] response = new byte[Se05xGate.MaxResponseLength];
        Assert.Equal(Se05xOutcome.Rejected, gate.ReadAttestedSensor(2, 0x44, 0, new byte[] { 0xE0 }, 0, 1, 2, new byte[16], 0, true, response, 0, out _, out _));
    }
}

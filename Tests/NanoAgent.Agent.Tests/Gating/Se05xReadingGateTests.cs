using CsCheck;
using NanoAgent.Agent.Gating;

namespace NanoAgent.Agent.Tests.Gating;

// Expected APDUs: SELECT of the IoT applet (AID from AN12413 / middleware), then the Se05xGate sequences whose encodings
// Tests/NanoAgent.Drivers.Tests/Se05x/Se05xGateTests.cs checks (IncrementCounter, ReadCounter, MACOneShot, SetCounter).
// Scripted answers only: this was not run on a real SE05x.
public class Se05xReadingGateTests
{
    private const string Select = "00A4040010A000000396545300000001030000000000";
    private const string Aid = "F06E616E6F47410A";
    private const string Mac16 = "A0A1A2A3A4A5A6A7A8A9AAABACADAEAF";
    private const string Kcv = "C0FFEE";

    private static Se05xReadingGate Gate(ScriptedSe se) => new(se, Hex.Parse(Aid), Hex.Parse(Kcv));

    [Fact]
    public void SignReading_SelectsIncrementsReadsMacsBoundInput_WritesCounterMacKcv()
    {
        var se = new ScriptedSe("0307009000", "9000", "4108 0000000000000007 9000", "4110" + Mac16 + "9000");
        byte[] output = new byte[100];
        ushort sw = Gate(se).SignReading(Hex.Parse("00AA"), 1, 1, output, 3, out int written);

        Assert.Equal(0x9000, sw);
        Assert.Equal(27, written);
        Assert.Equal("0000000000000007" + Mac16 + Kcv, Hex.Of(output, 3, 27));
        Assert.Equal(new[]
        {
            Select,
            "8001080006410430000001",
            "80020000000006410430000001" + "0000",
            // MAC input: counter (8) || "RDG" || len(AID) || AID || data.
            "80030D4520" + "410400001001" + "420131" + "4315" + "0000000000000007" + "524447" + "08" + Aid + "AA",
        }, se.Sent);
    }

    [Fact]
    public void SignReading_PublishedEnvelope_CarriesSeCounterMacAndKcv()
    {
        var se = new ScriptedSe("9000", "9000", "4108 0000000000000009 9000", "4110" + Mac16 + "9000");
        var tenants = new GateTenants();
        tenants.Add("t", Gate(se));
        var broker = new Fakes.InMemoryBroker();
        var mqtt = broker.NewClient();
        mqtt.Connect(new NanoAgent.Agent.Mqtt.MqttConnectOptions { ClientId = "agent" });
        var publisher = new GatedPublisher(mqtt, "d", tenants);
        publisher.AddSensor("s", new FixedSensor());
        publisher.Subscribe("t", "s");
        Assert.Equal(1, publisher.PublishAll());

        var envelope = new GateEnvelope();
        byte[] payload = Assert.Single(broker.Log).Payload;
        Assert.True(envelope.TryParse(payload, 0, payload.Length));
        Assert.Equal(9UL, envelope.Counter);
        Assert.Equal(Mac16, Hex.Of(envelope.Mac));
        Assert.Equal(Kcv, Hex.Of(envelope.Kcv));
        Assert.Contains("524447" + "08" + Aid + Hex.Of(payload, envelope.BodyOffset, envelope.BodyLength), se.Sent[3]);
    }

    [Theory]
    [InlineData("6985", 0x6985)]
    [InlineData("6986", 0x6986)]
    [InlineData("6A84", 0x6A84)]
    [InlineData("6400", 0x6F00)]
    public void SignReading_CounterRefused_StopsWithStatusAndWritesNothing(string answer, int expected)
    {
        var se = new ScriptedSe("9000", answer);
        byte[] output = new byte[27];
        Assert.Equal(expected, Gate(se).SignReading([1], 0, 1, output, 0, out int written));
        Assert.Equal(0, written);
        Assert.Equal(new byte[27], output);
        Assert.Equal(2, se.Sent.Count);
    }

    [Fact]
    public void SignReading_AppletNotSelectable_ReturnsSelectStatus()
    {
        var se = new ScriptedSe("6A82");
        Assert.Equal(0x6A82, Gate(se).SignReading([1], 0, 1, new byte[27], 0, out _));
        Assert.Single(se.Sent);
    }

    [Fact]
    public void VerifyCommand_FreshAndValid_ValidatesBoundInputThenSetsCounter()
    {
        var se = new ScriptedSe("9000", "4108 0000000000000005 9000", "410101 9000", "9000");
        byte[] data = Hex.Parse("0000000000000006" + "0102" + Mac16);
        Assert.Equal(0x9000, Gate(se).VerifyCommand(data, 0, data.Length));
        Assert.Equal(new[]
        {
            Select,
            "80020000000006410430000002" + "0000",
            "80030D4633" + "410400001002" + "420131" + "4316" + "0000000000000006" + "434D44" + "08" + Aid + "0102" + "4510" + Mac16,
            "8001080010" + "410430000002" + "43080000000000000006",
        }, se.Sent);
    }

    [Fact]
    public void VerifyCommand_BadMac_6982AndCounterUntouched()
    {
        var se = new ScriptedSe("9000", "4108 0000000000000005 9000", "410102 9000");
        byte[] data = Hex.Parse("0000000000000006" + "01" + Mac16);
        Assert.Equal(0x6982, Gate(se).VerifyCommand(data, 0, data.Length));
        Assert.Equal(3, se.Sent.Count);
    }

    [Fact]
    public void VerifyCommand_Replayed_6982WithoutMacCheck()
    {
        var se = new ScriptedSe("9000", "4108 0000000000000006 9000");
        byte[] data = Hex.Parse("0000000000000006" + "01" + Mac16);
        Assert.Equal(0x6982, Gate(se).VerifyCommand(data, 0, data.Length));
        Assert.Equal(2, se.Sent.Count);
    }

    [Fact]
    public void Lengths_OutOfRange_6700WithoutApdu()
    {
        var se = new ScriptedSe();
        Assert.Equal(0x6700, Gate(se).SignReading(new byte[201], 0, 201, new byte[27], 0, out _));
        Assert.Equal(0x6700, Gate(se).VerifyCommand(new byte[23], 0, 23));
        Assert.Empty(se.Sent);
        Assert.Throws<ArgumentException>(() => new Se05xReadingGate(se, Hex.Parse(Aid), [1, 2]));
    }

    [Fact]
    public void AnyAnswers_NeverThrow()
    {
        Gen.Byte.Array[0, 40].Array[1, 5].Sample(answers =>
        {
            var se = new ScriptedSe(answers.Select(a => Hex.Of(a)).ToArray());
            ushort sw = Gate(se).SignReading([1, 2, 3], 0, 3, new byte[27], 0, out int written);
            Assert.True(sw != 0x9000 || written == 27);
            byte[] data = Hex.Parse("0000000000000006" + "01" + Mac16);
            Gate(se).VerifyCommand(data, 0, data.Length);
        }, iter: 2000);
    }

    private sealed class FixedSensor : ISensor
    {
        public Reading Read() => new("V", 258, [0xAA]);
    }
}

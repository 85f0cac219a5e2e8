using CsCheck;
using NanoAgent.Agent.Gating;
using NanoAgent.Agent.Se05x;

namespace NanoAgent.Agent.Tests.Gating;

// Expected APDUs: SELECT of the IoT applet (AID from AN12413 / middleware) once, then the encodings of
// Tests/NanoAgent.Drivers.Tests/Se05x (ReadObject of a counter, IncrementCounter, MACOneShot, SetCounter) over the objects of
// tenant block 7A0A0000 (docs/se05x.md "Tenant objects"). Scripted answers here; the host tests run the virtual SE05x.
public class Se05xReadingGateTests
{
    private const string Select = "00A4040010A000000396545300000001030000000000";
    private const string Version = "0307006FFF010B9000";
    private const string Aid = "F06E616E6F47410A";
    private const string Mac16 = "A0A1A2A3A4A5A6A7A8A9AAABACADAEAF";
    private const string Kcv16 = "C0FFEE00000000000000000000000000";
    private const uint Block = 0x7A0A0000;

    private static string Read(uint id) => $"800200000000064104{id:X8}0000";

    private static string Increment(uint id) => $"80010800064104{id:X8}";

    private static string Counter(ulong value, int size = 4) => $"41{size:X2}" + value.ToString("X16")[(16 - (2 * size))..] + "9000";

    private static string MacApdu(string keyId, string input)
    {
        string tlv = "4104" + keyId + "420131" + $"43{input.Length / 2:X2}" + input;
        return $"80030D45{tlv.Length / 2:X2}" + tlv;
    }

    private static Se05xReadingGate Gate(ScriptedSe se) => new(new Se05xApplet(se, 1024), Hex.Parse(Aid), Block);

    [Fact]
    public void SignReading_First_RaisesTheEpochThenMacsCounterFirstInput_WritesCounterMacKcv()
    {
        var se = new ScriptedSe(Version, "9000", Counter(1), "4110" + Kcv16 + "9000", "4110" + Mac16 + "9000");
        Se05xReadingGate gate = Gate(se);
        byte[] output = new byte[100];
        ushort sw = gate.SignReading(Hex.Parse("00AA"), 1, 1, output, 3, out int written);

        Assert.Equal(0x9000, sw);
        Assert.Equal(27, written);
        Assert.Equal("0000000100000001" + Mac16 + "C0FFEE", Hex.Of(output, 3, 27));
        Assert.Equal(1, gate.EpochRaises);
        Assert.Equal(new[]
        {
            Select,
            Increment(0x7A0A0003), // the epoch goes up before any MAC over it
            Read(0x7A0A0003),
            MacApdu("7A0A0001", "01010101010101010101010101010101"), // the KCV: CMAC(reading key, 16 x 01)
            // MAC input: counter (8) || "RDG" || len(AID) || AID || data.
            MacApdu("7A0A0001", "0000000100000001" + "524447" + "08" + Aid + "AA"),
        }, se.Sent);
    }

    [Fact]
    public void SignReading_Next_OneMacNoNvmWrite()
    {
        var se = new ScriptedSe(Version, "9000", Counter(7), "4110" + Kcv16 + "9000", "4110" + Mac16 + "9000", "4110" + Mac16 + "9000");
        Se05xReadingGate gate = Gate(se);
        byte[] output = new byte[27];
        Assert.Equal(0x9000, gate.SignReading([1], 0, 1, output, 0, out _));
        int before = se.Sent.Count;

        Assert.Equal(0x9000, gate.SignReading([2], 0, 1, output, 0, out _));

        Assert.Equal("0000000700000002", Hex.Of(output, 0, 8));
        Assert.Equal(1, gate.EpochRaises);
        Assert.Equal(MacApdu("7A0A0001", "0000000700000002" + "524447" + "08" + Aid + "02"), Assert.Single(se.Sent.Skip(before)));
    }

    [Fact]
    public void SignReading_AgentRestarted_RaisesTheEpochAgain_CountersNeverRepeat()
    {
        var se = new ScriptedSe(Version, "9000", Counter(3), "4110" + Kcv16 + "9000", "4110" + Mac16 + "9000", "9000", Counter(4), "4110" + Kcv16 + "9000", "4110" + Mac16 + "9000");
        var applet = new Se05xApplet(se, 1024);
        byte[] output = new byte[27];
        Assert.Equal(0x9000, new Se05xReadingGate(applet, Hex.Parse(Aid), Block).SignReading([1], 0, 1, output, 0, out _));
        Assert.Equal("0000000300000001", Hex.Of(output, 0, 8));

        Assert.Equal(0x9000, new Se05xReadingGate(applet, Hex.Parse(Aid), Block).SignReading([1], 0, 1, output, 0, out _));
        Assert.Equal("0000000400000001", Hex.Of(output, 0, 8));
    }

    [Fact]
    public void SignReading_EpochRaisedButNotRead_NextReadingRaisesAgain()
    {
        var se = new ScriptedSe(Version, "9000", "6F00", "9000", Counter(6), "4110" + Kcv16 + "9000", "4110" + Mac16 + "9000");
        Se05xReadingGate gate = Gate(se);
        byte[] output = new byte[27];
        Assert.Equal(0x6F00, gate.SignReading([1], 0, 1, output, 0, out int written));
        Assert.Equal(0, written);

        Assert.Equal(0x9000, gate.SignReading([1], 0, 1, output, 0, out _));
        Assert.Equal("0000000600000001", Hex.Of(output, 0, 8));
        Assert.Equal(2, gate.EpochRaises);
    }

    [Fact]
    public void SignReading_PublishedEnvelope_CarriesSeCounterMacAndKcv()
    {
        var se = new ScriptedSe(Version, "9000", Counter(9), "4110" + Kcv16 + "9000", "4110" + Mac16 + "9000");
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
        Assert.Equal((9UL << 32) | 1, envelope.Counter);
        Assert.Equal(Mac16, Hex.Of(envelope.Mac));
        Assert.Equal("C0FFEE", Hex.Of(envelope.Kcv));
        Assert.Contains("0000000900000001" + "524447" + "08" + Aid + Hex.Of(payload, envelope.BodyOffset, envelope.BodyLength), se.Sent[^1]);
    }

    [Theory]
    [InlineData("6985", 0x6985)]
    [InlineData("6986", 0x6986)]
    [InlineData("6A84", 0x6A84)]
    [InlineData("6400", 0x6400)]
    public void SignReading_CounterRefused_StopsWithStatusAndWritesNothing(string answer, int expected)
    {
        var se = new ScriptedSe(Version, answer);
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
    public void VerifyCommand_FreshAndValid_ValidatesCounterFirstInputThenSetsCounter()
    {
        var se = new ScriptedSe(Version, Counter(5, 8), "410101 9000", "9000");
        byte[] data = Hex.Parse("0000000000000006" + "0102" + Mac16);
        Assert.Equal(0x9000, Gate(se).VerifyCommand(data, 0, data.Length));
        Assert.Equal(new[]
        {
            Select,
            Read(0x7A0A0004),
            "80030D4633" + "41047A0A0002" + "420131" + "4316" + "0000000000000006" + "434D44" + "08" + Aid + "0102" + "4510" + Mac16,
            "8001080010" + "41047A0A0004" + "43080000000000000006",
        }, se.Sent);
    }

    [Fact]
    public void VerifyCommand_BadMac_6982AndCounterUntouched()
    {
        var se = new ScriptedSe(Version, Counter(5, 8), "410102 9000");
        byte[] data = Hex.Parse("0000000000000006" + "01" + Mac16);
        Assert.Equal(0x6982, Gate(se).VerifyCommand(data, 0, data.Length));
        Assert.Equal(3, se.Sent.Count);
    }

    [Fact]
    public void VerifyCommand_Replayed_6985AfterMacAndCounterUntouched()
    {
        var se = new ScriptedSe(Version, Counter(6, 8), "410101 9000");
        byte[] data = Hex.Parse("0000000000000006" + "01" + Mac16);
        Assert.Equal(0x6985, Gate(se).VerifyCommand(data, 0, data.Length));
        Assert.Equal(3, se.Sent.Count);
    }

    [Fact]
    public void VerifyCommand_CounterNotEightBytes_RefusedWithoutMac()
    {
        var se = new ScriptedSe(Version, Counter(1, 4));
        byte[] data = Hex.Parse("0000000000000006" + "01" + Mac16);
        Assert.Equal(0x6A80, Gate(se).VerifyCommand(data, 0, data.Length));
        Assert.Equal(2, se.Sent.Count);
    }

    [Fact]
    public void Lengths_OutOfRange_6700WithoutApdu()
    {
        var se = new ScriptedSe();
        Assert.Equal(0x6700, Gate(se).SignReading(new byte[201], 0, 201, new byte[27], 0, out _));
        Assert.Equal(0x6700, Gate(se).VerifyCommand(new byte[23], 0, 23));
        Assert.Empty(se.Sent);
        Assert.Throws<ArgumentException>(() => new Se05xReadingGate(new Se05xApplet(se, 1024), Hex.Parse(Aid), 0x7A0A0001));
        Assert.Throws<ArgumentException>(() => new Se05xReadingGate(new Se05xApplet(se, 1024), [1, 2], Block));
    }

    [Fact]
    public void AnyAnswers_NeverThrow()
    {
        Gen.Byte.Array[0, 40].Array[1, 12].Sample(answers =>
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

using System.Text;
using CsCheck;
using NanoAgent.Agent.Status;
using NanoAgent.Agent.Tenants;
using NanoAgent.Agent.Tests.Fakes;
using NanoAgent.Agent.Tests.Gating;
using NanoAgent.Drivers.Lifecycle;
using NanoAgent.VirtualSe.Card;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.Agent.Tests.Status;

public class KeyStatusReporterTests
{
    private const long Now = 1_795_445_597;
    private static readonly string Isd = Hex.Of(CardState.DefaultIsdAid);

    [Fact]
    public void Build_VirtualSe_ReportsIsdKeyVersionAndLength_CounterUnknown()
    {
        // The virtual SE answers GET DATA '00E0' plainly and '00C1' with '6A88' (not supported): counter '-'.
        var card = new CardTransport(new CardManager(CardState.CreateFresh()));
        var tenants = TenantRegistry.Parse($"owner {Isd} 0\nghost A0000001515350410F 2\n");
        var reporter = new KeyStatusReporter(tenants, new ApduKeyInfoSource(card));

        string report = reporter.Build(Now);

        Assert.Equal($"owner {Isd} FF 128 - nopolicy\nghost A0000001515350410F error 6A82\n", report);
        // ghost: MANAGE CHANNEL open on a channel the card assigns (1, free again), SELECT there (refused), close 1.
        Assert.Equal(new[] { "0070000001", "01A4040009A0000001515350410F00", "00708001" }, card.Log.Skip(5).Select(c => Hex.Of(c)));
    }

    [Fact]
    public void Read_CardAssignedChannel_SendsOpenSelectGetDataCloseInOrder()
    {
        var se = new ScriptedSe("019000", "6F009000", "E012C00401308810C00402308810C004033088109000", "C103000011" + "9000", "9000");
        var tenant = new Tenant("acme", Hex.Parse("A0000001515350410A"), 1, 1000);
        var info = new SdKeyInfo();

        Assert.Equal(0x9000, new ApduKeyInfoSource(se).Read(tenant, info));

        Assert.Equal(new[] { "0070000001", "01A4040009A0000001515350410A00", "81CA00E000", "81CA00C100", "00708001" }, se.Sent);
        Assert.Equal((0x30, 16, 1, 17), (info.KeyVersion, info.KeyLength, info.KeySets, info.SequenceCounter));
    }

    [Theory]
    [InlineData(10, 0, 16, 5, 0, "ok")]          // no session since the baseline (the first sighting)
    [InlineData(10, 0, 32, 5, 0, "due")]         // key shorter than the policy's minimum
    [InlineData(0, 30, 16, -1, 31, "due")]       // older than 30 days
    [InlineData(0, 30, 16, -1, 29, "ok")]
    public void Build_Policy_EvaluatesLengthAndAge(int sessions, int days, int minLength, int counter, int daysLater, string expected)
    {
        var source = new FakeSource { Kvn = 0x30, Length = 16, Counter = counter };
        var reporter = new KeyStatusReporter(TenantRegistry.Parse("acme A0000001515350410A 1\n"), source);
        reporter.SetPolicy("acme", new KeyPolicy(sessions, days, minLength));
        reporter.Build(Now);
        string report = reporter.Build(Now + (daysLater * 86400L));
        Assert.EndsWith(" " + expected + "\n", report);
    }

    [Fact]
    public void Build_SessionsSinceBaseline_DueAfterMaxThenOkAfterRotation()
    {
        var source = new FakeSource { Kvn = 0x30, Length = 16, Counter = 5 };
        var reporter = new KeyStatusReporter(TenantRegistry.Parse("acme A0000001515350410A 1\n"), source);
        reporter.SetPolicy("acme", new KeyPolicy(10, 0, 16));
        Assert.Equal("acme A0000001515350410A 30 128 5 ok\n", reporter.Build(Now));
        source.Counter = 15;
        Assert.Equal("acme A0000001515350410A 30 128 15 due\n", reporter.Build(Now));

        // The tenant rotates (new KVN): the count starts again from there.
        source.Kvn = 0x31;
        Assert.Equal("acme A0000001515350410A 31 128 15 ok\n", reporter.Build(Now));

        // A baseline from outside (persisted at rotation) wins over the first sighting.
        reporter.SetBaseline("acme", 0x31, 2, Now);
        Assert.EndsWith(" due\n", reporter.Build(Now));
    }

    [Fact]
    public void Publish_RetainedOnKeysTopic()
    {
        var broker = new InMemoryBroker();
        var mqtt = broker.NewClient();
        mqtt.Connect(new NanoAgent.Agent.Mqtt.MqttConnectOptions { ClientId = "agent" });
        var reporter = new KeyStatusReporter(TenantRegistry.Parse("acme A0000001515350410A 1\n"), new FakeSource { Kvn = 1, Length = 32, Counter = 3 });

        string report = reporter.Publish(mqtt, "dev1", Now);

        Assert.Equal("nanoagent/dev1/keys", KeyStatusReporter.Topic("dev1"));
        Assert.Equal("acme A0000001515350410A 01 256 3 nopolicy\n", Encoding.UTF8.GetString(broker.Retained["nanoagent/dev1/keys"]));
        Assert.Equal(report, Encoding.UTF8.GetString(broker.Retained["nanoagent/dev1/keys"]));
    }

    [Fact]
    public void TryParse_RequestKeySetListedFirst_ReportsTheScp03KeySet()
    {
        // GPC v2.3.1 §11.3.3.1 Key Information Template: request key set '60' (three AES keys) before SCP03 key set '31'.
        byte[] template = Hex.Parse("E018" + "C00401608810" + "C00402608810" + "C00403608810" + "C00401318820");
        var info = new SdKeyInfo();
        info.Clear();
        Assert.True(KeyInformation.TryParse(template, 0, template.Length, info));
        Assert.Equal((0x31, 32, 1), (info.KeyVersion, info.KeyLength, info.KeySets));
    }

    [Fact]
    public void Parsers_AnyInput_NeverThrow()
    {
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            var info = new SdKeyInfo();
            info.Clear();
            bool ok = KeyInformation.TryParse(bytes, 0, bytes.Length, info);
            Assert.True(!ok || info.KeyVersion >= 0);
            Assert.InRange(KeyInformation.ParseCounter(bytes, 0, bytes.Length), -1, 0xFFFFFF);
        }, iter: 2000);
    }

    private sealed class FakeSource : IKeyInfoSource
    {
        public int Kvn { get; set; }

        public int Length { get; set; }

        public int Counter { get; set; }

        public ushort Read(Tenant tenant, SdKeyInfo info)
        {
            info.Clear();
            info.KeyVersion = Kvn;
            info.KeyLength = Length;
            info.KeySets = 1;
            info.SequenceCounter = Counter;
            info.Status = 0x9000;
            return 0x9000;
        }
    }
}

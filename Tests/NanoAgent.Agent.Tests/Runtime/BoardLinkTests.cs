using NanoAgent.Agent.Messages;
using NanoAgent.Agent.Mqtt;
using NanoAgent.Agent.Runtime;
using NanoAgent.Agent.Service;
using NanoAgent.Agent.Tests.Fakes;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Bus;
using NanoAgent.Drivers.Host.Links;
using NanoAgent.Drivers.Jrcp;
using NanoAgent.Drivers.Tests.Jrcp;
using NanoAgent.Host.Tests.Serve;

namespace NanoAgent.Agent.Tests.Runtime;

/// <summary>
/// The board link on the firmware's runtime: a lab tool reaches the SE the relay uses, through the same platform SCP03
/// link, and its APDUs never fall inside a relay run. Proven on the card side, from the frames the virtual SE receives.
/// The link is a socat pseudo-terminal pair (as a USB serial cable) carrying the portable code the firmware runs, with
/// the host's System.IO.Ports adapter on both ends, or an in-memory pipe.
/// </summary>
public sealed class BoardLinkTests : IDisposable
{
    private readonly PtyPair _pty = new();
    private readonly SerialPortChannel _boardPort;
    private readonly SerialPortChannel _pcPort;

    private const string Dev = RuntimeRig.Device;
    private const string LabApdu = "80CA9F7F00"; // GET DATA CPLC: the relay's script never sends it

    private readonly RuntimeRig _rig = new();
    private readonly List<string> _cardSaw = [];
    private readonly AgentRuntime _runtime;
    private readonly PipeChannel _pc;
    private readonly PipeChannel _board;
    private readonly BoardLink _ptyLink;
    private readonly Background<bool> _ptyServing;
    private readonly BoardLink _link;
    private readonly Background<bool> _serving;

    public BoardLinkTests()
    {
        _runtime = _rig.Start();
        Assert.True(_runtime.IsSeUp);
        _rig.Se.Target.HostFrame += Record;
        (_pc, _board) = PipeChannel.Pair();
        _link = _runtime.CreateBoardLink(_board);
        _link.Options.PollMs = 10;
        _serving = new Background<bool>(() =>
        {
            _link.Run();
            return true;
        });
        try
        {
            _boardPort = SerialPortChannel.Open(_pty.BoardEnd);
            _pcPort = SerialPortChannel.Open(_pty.PcEnd);
        }
        catch
        {
            _link.Stop();
            _pc.Close();
            _pty.Dispose();
            throw;
        }

        _ptyLink = _runtime.CreateBoardLink(_boardPort);
        _ptyServing = new Background<bool>(() =>
        {
            _ptyLink.Run();
            return true;
        });
    }

    public void Dispose()
    {
        _link.Stop();
        _ptyLink.Stop();
        _pc.Close();
        _serving.Wait(5000);
        _ptyServing.Wait(5000);
        _boardPort.Dispose();
        _pcPort.Dispose();
        _pty.Dispose();
    }

    private IJrcpChannel Lab(string link) => link == "pty" ? _pcPort : _pc;

    [Theory]
    [InlineData("pty")]
    [InlineData("pipe")]
    public void LabTool_ReachesTheSeThroughTheRuntimesLink_WithPlatformScp03(string link)
    {
        var lab = new JrcpClientTransport(Lab(link), SystemClock.Instance, 5000, "board link");
        byte[] atr = lab.Open();
        byte[] response = new byte[300];
        int n = lab.Transceive(Convert.FromHexString("00A4040000"), 0, 5, response, 0);
        Assert.Equal(0x9000, StatusWord.Read(response, 0, n));
        n = lab.Transceive(Convert.FromHexString(LabApdu), 0, 5, response, 0);

        Assert.Equal("00A0000003960403E800FE020B03E80801000000006400000A4A434F5034204154504F", Convert.ToHexString(atr)); // the virtual SE05x's ATR
        Assert.Equal(0x9000, StatusWord.Read(response, 0, n));
        // The card saw it wrapped by the board's platform SCP03 session (CLA 84), not in plain.
        Assert.Contains(_cardSaw, a => a.StartsWith("84CA9F7F", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("pty")]
    [InlineData("pipe")]
    public void RelayScriptAndLabApdus_AtTheSameTime_NeverInterleaveOnTheCard(string link)
    {
        var lab = new JrcpClientTransport(Lab(link), SystemClock.Instance, 10_000, "board link");
        lab.Open();
        var labStop = new ManualResetEventSlim();
        var labRun = new Background<int>(() =>
        {
            int sent = 0;
            byte[] command = Convert.FromHexString(LabApdu), response = new byte[300];
            while (!labStop.IsSet)
            {
                // Any status word will do: the point is when the card sees the command.
                Assert.True(lab.Transceive(command, 0, command.Length, response, 0) >= 2);
                sent++;
            }

            return sent;
        });
        WaitForLabApdus(3);

        FakeMqttConnection backend = _rig.Broker.NewClient();
        backend.Connect(new MqttConnectOptions { ClientId = "backend" });
        backend.Subscribe([AgentTopics.Response(Dev, "acme")], [MqttQos.AtLeastOnce]);
        ScriptRequest request = RelayRig.Script("acme", 1, "s-1", RuntimeRig.SsdA,
            RelayRig.Step(RelayRig.GetIinCh1, 0x9000, 0x0000), RelayRig.Step(RelayRig.GetIinCh1, 0x9000, 0x0000),
            RelayRig.Step(RelayRig.GetIinCh1, 0x9000, 0x0000), RelayRig.Step(RelayRig.GetIinCh1, 0x9000, 0x0000));
        backend.Publish(AgentTopics.Request(Dev, "acme"), ScriptMessageCodec.Encode(request), MqttQos.AtLeastOnce, false);
        int labBefore = LabCount();
        _rig.Run(_runtime, 1, 100);
        WaitForLabApdus(LabCount() + 3);
        labStop.Set();
        Assert.True(labRun.Result >= 6);

        ScriptResult result = ReportMessageCodec.DecodeResult(Assert.Single(backend.Received, m => m.Topic == AgentTopics.Response(Dev, "acme")).Payload);
        Assert.Equal(ScriptOutcome.Completed, result.Outcome);
        string[] seen;
        lock (_cardSaw)
        {
            seen = [.. _cardSaw];
        }

        int first = Array.FindIndex(seen, a => !IsLab(a));
        int last = Array.FindLastIndex(seen, a => !IsLab(a));
        Assert.True(first >= labBefore, "the relay's APDUs came after the lab's first ones");
        Assert.True(seen.Skip(first).Take(last - first + 1).Count(a => a.StartsWith("85CA0042", StringComparison.Ordinal)) == 4, "the four steps ran on channel 1");
        Assert.DoesNotContain(seen.Skip(first).Take(last - first + 1), IsLab);
        Assert.Contains(seen.Skip(last + 1), IsLab);
    }

    private static bool IsLab(string apdu) => apdu.StartsWith("84CA9F7F", StringComparison.Ordinal);

    private int LabCount()
    {
        lock (_cardSaw)
        {
            return _cardSaw.Count(IsLab);
        }
    }

    private void WaitForLabApdus(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (LabCount() < count)
        {
            Assert.True(DateTime.UtcNow < deadline, "the lab's APDUs stopped reaching the card");
            Thread.Sleep(5);
        }
    }

    // SE05x T=1oI2C (UM11225): NAD PCB LEN INF CRC; an I-block has PCB bit 8 clear and M (0x20) set while a chain goes on.
    // The first I-block of a command starts with its header: CLA INS P1 P2 (in the clear under SCP03).
    private bool _chained;

    private void Record(byte[] frame)
    {
        if (frame.Length < 7 || (frame[1] & 0x80) != 0)
        {
            return;
        }

        if (!_chained)
        {
            lock (_cardSaw)
            {
                _cardSaw.Add(Convert.ToHexString(frame, 3, 4));
            }
        }

        _chained = (frame[1] & 0x20) != 0;
    }
}

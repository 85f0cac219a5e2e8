using NanoAgent.Drivers.Apdu;
using NanoAgent.Host.Common;
using NanoAgent.Host.Diag;
using NanoAgent.Host.Se;
using NanoAgent.VirtualSe;
using NanoAgent.VirtualSe.Bus;
using NanoAgent.VirtualSe.T1.Gp;
using NanoAgent.VirtualSe.T1.Se05x;

namespace NanoAgent.Host.Tests.Wireshark;

/// <summary>
/// Captures made by the real host stack on the virtual SE (SE05x T=1oI2C, GP T=1' over I2C and SPI), read back by the
/// real tshark with Wireshark/nanoagent.lua: the frame fields, the APDU names and status words, SCP03 sessions, a
/// chained APDU, an S(WTX) exchange and an injected CRC error.
/// </summary>
public sealed class DissectorStackTests
{
    [Fact]
    public void Dissector_ShippedNextToNanoagent_IsTheSourceFile()
    {
        Assert.True(File.Exists(Tshark.Dissector), Tshark.Dissector);
        Assert.Equal(File.ReadAllBytes(Tshark.SourceDissector), File.ReadAllBytes(Tshark.Dissector));
    }

    [Theory]
    [InlineData("se05x", false, 1, "5a", "a5", "INTERFACE SOFT RESET", "JCOP4 ATPO")]
    [InlineData("gp", false, 2, "21", "12", "CIP", "nanoAgent VSE")]
    [InlineData("gp", true, 3, "21", "12", "CIP", "nanoAgent VSE")]
    public void SeProbe_FramesAndApdus_AreDecoded(string protocol, bool spi, int code, string hostNad, string seNad, string atrBlock, string historical)
    {
        using var dir = new TempDir();
        string pcap = dir.File("probe.pcap");
        var args = new List<string> { "se", "probe", "--state", dir.File("se.json"), "--protocol", protocol, "--trace-file", pcap };
        if (spi)
        {
            args.AddRange(["--spi", "virtual"]);
        }

        CliRun run = CliRun.Of([.. args]);
        Assert.True(run.ExitCode == ExitCodes.Ok, run.Output + run.Error);

        List<string[]> frames = Tshark.Fields(PcapCapture.FramesPathFor(pcap), null, "nanoagent.t1.protocol", "nanoagent.t1.direction", "nanoagent.t1.nad",
            "nanoagent.t1.block", "nanoagent.t1.s_name", "nanoagent.t1.s_response", "nanoagent.t1.crc.status", "nanoagent.t1.atr.ifsc", "nanoagent.t1.atr.historical.text",
            "nanoagent.t1.ns", "nanoagent.apdu.command");
        Assert.All(frames, f => Assert.Equal(code.ToString(), f[0]));                               // recorded, not guessed
        Assert.All(frames, f => Assert.Equal(f[1] == "0" ? "0x" + hostNad : "0x" + seNad, f[2]));  // NAD by direction
        Assert.All(frames, f => Assert.Equal("1", f[6]));                                           // every CRC good
        Assert.Contains(frames, f => f[4] == atrBlock && f[5] == "1" && f[7] == "254" && f[8] == historical); // ATR/CIP decoded
        string[] iBlocks = [.. frames.Where(f => f[3] == "0" && f[1] == "0").Select(f => f[9])];
        Assert.Equal(iBlocks.Select((_, i) => (i % 2).ToString()), iBlocks);                        // host N(S) alternates 0, 1, 0
        Assert.Contains(frames, f => f[10] == "SELECT");                                            // the APDU from the frames

        List<string[]> apdus = Tshark.Fields(pcap, null, "frame.number", "nanoagent.apdu.direction", "nanoagent.apdu.protocol", "nanoagent.apdu.command",
            "nanoagent.apdu.p1.meaning", "nanoagent.apdu.sw", "nanoagent.apdu.sw.meaning", "nanoagent.apdu.response_to", "nanoagent.apdu.response_in",
            "nanoagent.apdu.response_to.command");
        Assert.Equal(8, apdus.Count);                                                                  // ..., then SELECT of the SE05x IoT applet
        Assert.Equal(["0", "1", "0", "1", "0", "1", "0", "1"], apdus.Select(a => a[1]));
        Assert.All(apdus, a => Assert.Equal(code.ToString(), a[2]));
        Assert.Equal(["1", "SELECT", "select by name (AID)", "", "", "", "2"], apdus[0][..1].Concat(apdus[0][3..9]));
        Assert.Equal(["2", "", "0x9000", "success", "1", "", "SELECT"], [apdus[1][0], apdus[1][3], apdus[1][5], apdus[1][6], apdus[1][7], apdus[1][8], apdus[1][9]]);
        Assert.Equal(["GET DATA", "tag 9F7F: CPLC data"], apdus[2][3..5]);
        Assert.Equal(["0x9000", "success", "3", "GET DATA"], [apdus[3][5], apdus[3][6], apdus[3][7], apdus[3][9]]);
        Assert.Equal(["SELECT", "select by name (AID)"], apdus[6][3..5]);                            // the probe asks for the IoT applet
        Assert.Equal(["7", "SELECT"], [apdus[7][7], apdus[7][9]]);
    }

    [Theory]
    [InlineData("33")] // C-MAC, C-DECRYPTION, R-MAC, R-ENCRYPTION: data encrypted both ways
    [InlineData("01")] // C-MAC only: the data stays readable
    public void Scp03Session_CommandsMacsAndLevelAreShown(string level)
    {
        using var dir = new TempDir();
        string pcap = dir.File("scp.pcap");
        CliRun run = CliRun.Of("scp03", "open", "--state", dir.File("se.json"), "--keys", "default", "--level", level,
            "--apdu", "80F24002024F00", "--trace-file", pcap);
        Assert.True(run.ExitCode == ExitCodes.Ok, run.Output + run.Error);

        List<string[]> apdus = Tshark.Fields(pcap, null, "nanoagent.apdu.direction", "nanoagent.apdu.command", "nanoagent.apdu.scp03", "nanoagent.apdu.cla.sm",
            "nanoagent.apdu.scp03.level", "nanoagent.apdu.scp03.cmac", "nanoagent.apdu.scp03.rmac", "nanoagent.apdu.scp03.encrypted", "nanoagent.apdu.tlv.name",
            "nanoagent.apdu.scp03.card_cryptogram", "nanoagent.apdu.scp03.key_information", "nanoagent.apdu.sw.meaning", "nanoagent.apdu.response_to.command",
            "nanoagent.apdu.p1.meaning");
        string[] commands = [.. apdus.Where(a => a[0] == "0").Select(a => a[1])];
        Assert.Equal(["SELECT", "INITIALIZE UPDATE", "EXTERNAL AUTHENTICATE", "GET STATUS"], commands.Take(4));

        string[] initUpdate = apdus.Single(a => a[0] == "1" && a[12] == "INITIALIZE UPDATE");
        Assert.Equal(16, initUpdate[9].Length);                                  // 8-byte card cryptogram (S8)
        Assert.StartsWith("ff03", initUpdate[10], StringComparison.Ordinal);     // key information: KVN FF, SCP03
        string[] extAuth = apdus.Single(a => a[0] == "0" && a[1] == "EXTERNAL AUTHENTICATE");
        Assert.Equal(["1", "1"], extAuth[2..4]);
        Assert.Equal(16, extAuth[5].Length);                                     // the 8-byte C-MAC
        Assert.Equal("security level: " + (level == "33" ? "C-MAC + C-DECRYPTION + R-MAC + R-ENCRYPTION" : "C-MAC"), extAuth[13]);

        string[] getStatus = apdus.Single(a => a[0] == "0" && a[1] == "GET STATUS");
        string[] answer = apdus.Single(a => a[0] == "1" && a[12] == "GET STATUS");
        Assert.Equal(["1", "1", "0x" + level], getStatus[2..5]);
        Assert.Equal(16, getStatus[5].Length);
        Assert.Equal("success", answer[11]);
        if (level == "33")
        {
            Assert.NotEmpty(getStatus[7]);                                       // the search criteria, encrypted
            Assert.NotEmpty(answer[7]);                                          // the registry, encrypted
            Assert.Equal(16, answer[6].Length);                                  // and its R-MAC
        }
        else
        {
            Assert.Equal(["", "AID"], [getStatus[7], getStatus[8]]);             // 4F 00 in the clear
            Assert.Equal("", answer[6]);
            Assert.Contains("GP registry entry", answer[8]);
        }
    }

    [Fact]
    public void ChainedApdu_IsShownAsItsBlocksAndAsOneApdu()
    {
        using var dir = new TempDir();
        string pcap = dir.File("chain.pcap");
        string data = string.Concat(Enumerable.Repeat("A5", 300));
        CliRun run = CliRun.Of("se", "apdu", "--state", dir.File("se.json"), "--trace-file", pcap, "80E2800000012C" + data);
        Assert.True(run.ExitCode is ExitCodes.Ok or ExitCodes.Failed, run.Output + run.Error);

        List<string[]> frames = Tshark.Fields(PcapCapture.FramesPathFor(pcap), "nanoagent.t1.block == 0 && nanoagent.t1.direction == 0",
            "nanoagent.t1.more", "nanoagent.t1.len", "nanoagent.apdu.command", "nanoagent.apdu.blocks", "nanoagent.apdu.lc");
        Assert.Equal(["1", "254", "", "", ""], frames[0]);                    // first block: M set, INF full (SE05x IFSC 254)
        Assert.Equal(["0", (307 - 254).ToString(), "STORE DATA", "2", "300"], frames[1]); // last block completes the APDU

        List<string[]> apdus = Tshark.Fields(pcap, "nanoagent.apdu.direction == 0", "nanoagent.apdu.command", "nanoagent.apdu.blocks", "nanoagent.apdu.lc",
            "nanoagent.apdu.p1.meaning", "nanoagent.apdu.data");
        Assert.Equal(["STORE DATA", "2", "300", "last block"], apdus.Single()[..4]);
        Assert.Equal(data.ToLowerInvariant(), apdus.Single()[4]);
    }

    [Theory]
    [InlineData(VirtualSeProtocol.Se05xI2c)]
    [InlineData(VirtualSeProtocol.GpI2c)]
    [InlineData(VirtualSeProtocol.GpSpi)]
    public void WtxAndCorruptFrame_ThroughTheStack_AreShownAndFlagged(VirtualSeProtocol kind)
    {
        using var dir = new TempDir();
        string pcap = dir.File("wtx.pcap");
        string protocol = kind == VirtualSeProtocol.Se05xI2c ? "se05x" : "gp";
        var vse = VirtualSecureElement.Create(kind);
        var clock = new VirtualClock();
        byte[] response = new byte[300];
        int n;
        using (var trace = new FrameTraceWriter(protocol, ownsWriters: true, [new PcapCapture(pcap, PcapCapture.ProtocolOf(protocol, kind == VirtualSeProtocol.GpSpi))]))
        {
            using var transport = SeConnection.CreateTransport(protocol, SeConnection.Traced(vse.Link, trace, clock), clock);
            transport.Open();
            var channel = new ApduChannel(transport);
            if (vse.Responder is GpT1Responder gp)
            {
                gp.RequestWtxBeforeNextResponse(1, 3);
            }
            else
            {
                ((Se05xT1Responder)vse.Responder).WtxMultiplier = 3;
                ((Se05xT1Responder)vse.Responder).RequestWtxBeforeNextResponse(1);
            }

            n = channel.Transmit(Hex.Parse("00A4040008A000000151000000"), 0, 13, response, 0);
            vse.Target.Faults.CorruptNextSeFrameAt = kind == VirtualSeProtocol.Se05xI2c ? 3 : 4; // the first INF byte
            n = channel.Transmit(Hex.Parse("80CA006600"), 0, 5, response, 0);
        }

        string frames = PcapCapture.FramesPathFor(pcap);
        List<string[]> wtx = Tshark.Fields(frames, "nanoagent.t1.s_name == \"WTX\"", "nanoagent.t1.direction", "nanoagent.t1.s_response", "nanoagent.t1.wtx", "_ws.expert.message");
        Assert.Equal(2, wtx.Count);
        Assert.Equal(["1", "0", "3"], wtx[0][..3]);                              // the SE asks, multiplier 3
        Assert.Contains("waiting time extension", wtx[0][3]);
        Assert.Equal(["0", "1", "3"], wtx[1][..3]);                              // the host grants it

        List<string[]> bad = Tshark.Fields(frames, "nanoagent.t1.crc.status == 0", "frame.number", "nanoagent.t1.direction", "nanoagent.t1.crc", "nanoagent.t1.crc.expected", "_ws.expert.message");
        string[] corrupt = Assert.Single(bad);
        Assert.Equal("1", corrupt[1]);
        Assert.NotEqual(corrupt[2], corrupt[3]);
        Assert.Contains("Bad CRC", corrupt[4]);
        List<string[]> next = Tshark.Fields(frames, "frame.number == " + (int.Parse(corrupt[0]) + 1), "nanoagent.t1.block", "nanoagent.t1.r_error", "_ws.expert.message");
        Assert.Equal(["1", "1"], next.Single()[..2]);                            // the host answers R(CRC error)
        Assert.Contains("Retransmission requested", next.Single()[2]);
        Assert.Contains("Bad CRC", Tshark.Run("-r", frames, "-z", "expert,error", "-q"));

        // The APDU file holds the retransmitted, intact answer: the same bytes the host got.
        List<string[]> apdus = Tshark.Fields(pcap, "nanoagent.apdu.response_to.command == \"GET DATA\"", "nanoagent.apdu.data", "nanoagent.apdu.sw");
        Assert.Equal(Hex.Of(response, 0, n - 2).ToLowerInvariant(), apdus.Single()[0].Split('|')[0]);
        Assert.Equal("0x9000", apdus.Single()[1]);
    }
}

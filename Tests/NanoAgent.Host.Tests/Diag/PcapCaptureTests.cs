using System.Diagnostics;
using NanoAgent.Drivers.Bus;
using NanoAgent.Host.Cli;
using NanoAgent.Host.Diag;
using NanoAgent.Host.Common;
using NanoAgent.Host.Tests.Wireshark;

namespace NanoAgent.Host.Tests.Diag;

/// <summary>
/// <c>--trace-file x.pcap</c>: the writer's bytes (tcpdump.org pcap savefile format; nanoAgent's USER0/USER1 pseudo-header
/// and packet-iso14443.c's), the APDUs put back together from intact T=1 I-blocks, and a real capture of <c>se probe</c> in
/// the ISO 14443 form decoded by tshark's own ISO 7816 dissector (no Lua; tshark installed by .ci/run).
/// </summary>
public sealed class PcapCaptureTests
{
    [Fact]
    public void PcapWriter_GlobalAndRecordHeaders_AreTheSavefileLayout()
    {
        var stream = new MemoryStream();
        using (var pcap = new PcapWriter(stream, 264, ownsStream: false))
        {
            pcap.Write(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123).AddTicks(4_560), [0xAA, 0xBB]);
        }

        Assert.Equal(
            "D4C3B2A1" + "0200" + "0400" + "00000000" + "00000000" + "FFFF0000" + "08010000" // magic, 2.4, zone, sigfigs, snaplen, 264
            + "00F15365" + "40E20100" + "02000000" + "02000000" + "AABB",                    // 1700000000 s, 123456 µs, 2, 2
            Hex.Of(stream.ToArray()));
    }

    [Fact]
    public void OnFrame_JoinsChainedIBlocks_DropsRetransmissions_AndWritesUser1Packets()
    {
        using var dir = new TempDir();
        string path = dir.File("t.pcap");
        using (var capture = new PcapCapture(path, CaptureProtocol.Se05xI2c))
        {
            // SE05x T=1oI2C frames (UM11225): NAD PCB LEN INF CRC.
            capture.OnFrame(FrameDirection.HostToSe, T1Frames.Se05x(0x5A, 0x20, "00A404"), 1);     // I(0), M: first part
            capture.OnFrame(FrameDirection.SeToHost, T1Frames.Se05x(0xA5, 0x90), 2);               // R(1): send the next one
            capture.OnFrame(FrameDirection.HostToSe, T1Frames.Se05x(0x5A, 0x40, "0000"), 3);       // I(1): last part
            capture.OnFrame(FrameDirection.HostToSe, T1Frames.Se05x(0x5A, 0x40, "0000"), 4);       // I(1) again: retransmission
            capture.OnFrame(FrameDirection.SeToHost, T1Frames.Se05x(0xA5, 0x00, "9000"), 5);       // I(0): response
            capture.OnFrame(FrameDirection.HostToSe, T1Frames.Se05x(0x5A, 0xC0), 6);               // RESYNCH: numbers start again
            capture.OnFrame(FrameDirection.HostToSe, T1Frames.Se05x(0x5A, 0x00, "80CA006600"), 7);
        }

        // USER1: header byte (protocol 1 in the high nibble, direction in bit 0), I-block count, the APDU.
        Assert.Equal(["1002" + "00A4040000", "1101" + "9000", "1001" + "80CA006600"], Packets(File.ReadAllBytes(path)[24..]));
        Assert.Equal(PcapCapture.ApduLinkType, BitConverter.ToUInt32(File.ReadAllBytes(path), 20));
        List<string> frames = Packets(File.ReadAllBytes(dir.File("t.frames.pcap"))[24..]);
        Assert.Equal(7, frames.Count);
        Assert.Equal("10" + Hex.Of(T1Frames.Se05x(0x5A, 0x20, "00A404")), frames[0]);
        Assert.Equal("11" + Hex.Of(T1Frames.Se05x(0xA5, 0x90)), frames[1]);
        Assert.Equal(dir.File("t.frames.pcap"), PcapCapture.FramesPathFor(path));
    }

    [Theory]
    [InlineData(4)] // the INF
    [InlineData(1)] // the PCB
    [InlineData(7)] // the CRC
    public void OnFrame_CorruptFrame_IsCapturedRawButItsGoodCopyMakesTheApdu(int flipAt)
    {
        using var dir = new TempDir();
        string path = dir.File("c.pcap");
        byte[] good = T1Frames.Gp(0x12, 0x00, "6A82");
        byte[] bad = (byte[])good.Clone();
        bad[flipAt] ^= 0x08;
        using (var capture = new PcapCapture(path, CaptureProtocol.GpSpi))
        {
            capture.OnFrame(FrameDirection.HostToSe, T1Frames.Gp(0x21, 0x00, "00A4040000"), 1);
            capture.OnFrame(FrameDirection.SeToHost, bad, 2);                                  // CRC wrong: the host asks again
            capture.OnFrame(FrameDirection.HostToSe, T1Frames.Gp(0x21, 0x81), 3);              // R(0) CRC error
            capture.OnFrame(FrameDirection.SeToHost, good, 4);
        }

        Assert.Equal(["3001" + "00A4040000", "3101" + "6A82"], Packets(File.ReadAllBytes(path)[24..]));
        Assert.Equal(4, Packets(File.ReadAllBytes(dir.File("c.frames.pcap"))[24..]).Count);
    }

    [Fact]
    public void OnFrame_Iso14443Link_WritesTheOldPseudoHeader()
    {
        using var dir = new TempDir();
        string path = dir.File("i.pcap");
        using (var capture = new PcapCapture(path, CaptureProtocol.Se05xI2c, PcapApduLink.Iso14443))
        {
            capture.OnFrame(FrameDirection.HostToSe, T1Frames.Se05x(0x5A, 0x00, "00A4040000"), 1);
            capture.OnFrame(FrameDirection.SeToHost, T1Frames.Se05x(0xA5, 0x00, "9000"), 2);
            capture.OnFrame(FrameDirection.HostToSe, T1Frames.Se05x(0x5A, 0x40, "80CA006600"), 3);
        }

        // packet-iso14443.c pseudo-header (version, event FA/FB, length), then an ISO 14443-4 I-block (PCB 02|block number).
        Assert.Equal(["00FA0006" + "02" + "00A4040000", "00FB0003" + "02" + "9000", "00FA0006" + "03" + "80CA006600"], Packets(File.ReadAllBytes(path)[24..]));
        Assert.Equal(PcapCapture.IsoLinkType, BitConverter.ToUInt32(File.ReadAllBytes(path), 20));
    }

    [Theory]
    [InlineData("se05x", false, CaptureProtocol.Se05xI2c, "10", "11")]
    [InlineData("gp", false, CaptureProtocol.GpI2c, "20", "21")]
    [InlineData("gp", true, CaptureProtocol.GpSpi, "30", "31")]
    public void HeaderByte_CarriesProtocolAndDirection(string protocol, bool spi, CaptureProtocol expected, string toSe, string toHost)
    {
        Assert.Equal(expected, PcapCapture.ProtocolOf(protocol, spi));
        Assert.Equal(toSe, PcapCapture.HeaderByte(FrameDirection.HostToSe, expected).ToString("X2"));
        Assert.Equal(toHost, PcapCapture.HeaderByte(FrameDirection.SeToHost, expected).ToString("X2"));
    }

    [Theory]
    [InlineData("se05x")] // 1-byte LEN (UM11225)
    [InlineData("gp")]    // 2-byte LEN (GPC_SPE_172)
    public void SeProbe_TraceLinkIso14443_WiresharksOwnIso7816DissectorFindsSelectAndGetData(string protocol)
    {
        using var dir = new TempDir();
        string pcap = dir.File("probe.pcap");
        CliRun run = CliRun.Of("se", "probe", "--state", dir.File("se.json"), "--protocol", protocol, "--trace-file", pcap, "--trace-link", "iso14443");
        Assert.True(run.ExitCode == ExitCodes.Ok, run.Output + run.Error);

        string fields = Tshark("-r", pcap, "-d", "iso14443.subdissector,iso7816", "-T", "fields",
            "-e", "iso14443.event", "-e", "iso7816.apdu.ins", "-e", "iso14443.inf");
        string[] lines = fields.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("0xfa\t0xa4\t00a40400", StringComparison.Ordinal)); // SELECT (ISO class: INS decoded)
        Assert.Contains(lines, l => l.StartsWith("0xfa\t\t80ca9f7f", StringComparison.Ordinal));     // GET DATA CPLC (GP class '80')
        Assert.Contains(lines, l => l.StartsWith("0xfa\t\t80ca0066", StringComparison.Ordinal));     // GET DATA card data
        Assert.Equal(lines.Length / 2, lines.Count(l => l.StartsWith("0xfb", StringComparison.Ordinal)));

        string verbose = Tshark("-r", pcap, "-d", "iso14443.subdissector,iso7816", "-V");
        Assert.Contains("ISO 7816 Command APDU", verbose);
        Assert.Contains("Instruction: Select file (0xa4)", verbose);
        Assert.Contains("Response APDU (to Select file)", Tshark("-r", pcap, "-d", "iso14443.subdissector,iso7816"));
        Assert.Contains("Encapsulation type: USER 0", Tshark("-r", PcapCapture.FramesPathFor(pcap), "-V"));
    }

    [Fact]
    public void TraceLink_UnknownValue_IsBadInput()
    {
        using var dir = new TempDir();
        CliRun run = CliRun.Of("se", "probe", "--state", dir.File("se.json"), "--trace-file", dir.File("x.pcap"), "--trace-link", "usb");
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
    }

    private static List<string> Packets(byte[] records)
    {
        var packets = new List<string>();
        for (int at = 0; at < records.Length;)
        {
            int length = BitConverter.ToInt32(records, at + 8);
            packets.Add(Hex.Of(records[(at + 16)..(at + 16 + length)]));
            at += 16 + length;
        }

        return packets;
    }

    private static string Tshark(params string[] args)
    {
        string binary = TestBrokerFind("tshark");
        var info = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "tshark did not finish within 60 s");
        Assert.True(process.ExitCode == 0, $"tshark {string.Join(' ', args)} exited with {process.ExitCode}: {error.Result}");
        return output;
    }

    private static string TestBrokerFind(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin"))
        {
            if (File.Exists(Path.Combine(dir, name)))
            {
                return Path.Combine(dir, name);
            }
        }

        throw new InvalidOperationException($"'{name}' was not found: the pcap tests need tshark (apt-get install tshark; .ci/run installs it).");
    }
}

using System.Diagnostics;
using NanoAgent.Drivers.Bus;
using NanoAgent.Host.Cli;
using NanoAgent.Host.Diag;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Tests.Diag;

/// <summary>
/// <c>--trace-file x.pcap</c>: the writer's bytes (tcpdump.org pcap savefile format; packet-iso14443.c pseudo-header), the
/// APDUs put back together from T=1 I-blocks, and a real capture of <c>se probe</c> decoded by tshark (installed by .ci/run).
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
    public void OnFrame_JoinsChainedIBlocks_DropsRetransmissions_AndWritesIso14443Packets()
    {
        using var dir = new TempDir();
        string path = dir.File("t.pcap");
        using (var capture = new PcapCapture(path, "se05x"))
        {
            // SE05x T=1oI2C frames (UM11225): NAD PCB LEN INF CRC(2; not checked here).
            capture.OnFrame(FrameDirection.HostToSe, Hex.Parse("5A2003 00A404 0000"), 1);   // I(0), M: first part
            capture.OnFrame(FrameDirection.SeToHost, Hex.Parse("A59000 0000"), 2);         // R(1): send the next one
            capture.OnFrame(FrameDirection.HostToSe, Hex.Parse("5A4002 0000 0000"), 3);    // I(1): last part
            capture.OnFrame(FrameDirection.HostToSe, Hex.Parse("5A4002 0000 0000"), 4);    // I(1) again: retransmission
            capture.OnFrame(FrameDirection.SeToHost, Hex.Parse("A50002 9000 0000"), 5);    // I(0): response
            capture.OnFrame(FrameDirection.HostToSe, Hex.Parse("5AC000 0000"), 6);         // RESYNCH: numbers start again
            capture.OnFrame(FrameDirection.HostToSe, Hex.Parse("5A0005 80CA006600 0000"), 7);
        }

        byte[] file = File.ReadAllBytes(path);
        var packets = Packets(file[24..]);
        Assert.Equal(["00FA0006" + "02" + "00A4040000", "00FB0003" + "02" + "9000", "00FA0006" + "03" + "80CA006600"], packets);
        Assert.Equal(7, Packets(File.ReadAllBytes(dir.File("t.frames.pcap"))[24..]).Count);
        Assert.Equal("00" + "5A200300A4040000", Packets(File.ReadAllBytes(dir.File("t.frames.pcap"))[24..])[0]);
        Assert.Equal(dir.File("t.frames.pcap"), PcapCapture.FramesPathFor(path));
    }

    [Theory]
    [InlineData("se05x")] // 1-byte LEN (UM11225)
    [InlineData("gp")]    // 2-byte LEN (GPC_SPE_172)
    public void SeProbe_TraceFilePcap_TsharkFindsSelectAndGetData(string protocol)
    {
        using var dir = new TempDir();
        string pcap = dir.File("probe.pcap");
        CliRun run = CliRun.Of("se", "probe", "--state", dir.File("se.json"), "--protocol", protocol, "--trace-file", pcap);
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

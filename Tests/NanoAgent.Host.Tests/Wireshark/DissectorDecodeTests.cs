using CsCheck;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Bus;
using NanoAgent.Host.Common;
using NanoAgent.Host.Diag;

namespace NanoAgent.Host.Tests.Wireshark;

/// <summary>
/// Wireshark/nanoagent.lua on captures written packet by packet: every status word meaning against
/// <see cref="StatusWordText"/>, SE05x commands and TLVs, captures from before the protocol was recorded, and bad input
/// (truncated frames, LEN and Lc that lie, random bytes) that must be flagged without a Lua error.
/// </summary>
public sealed class DissectorDecodeTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    [Fact]
    public void StatusWords_HaveTheMeaningsOfStatusWordText()
    {
        var words = new SortedSet<ushort>();
        foreach (int sw1 in new[] { 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x90, 0x91, 0x9F })
        {
            foreach (int sw2 in new[] { 0x00, 0x01, 0x02, 0x10, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0xC0, 0xC1, 0xC5, 0xFF })
            {
                words.Add((ushort)((sw1 << 8) | sw2));
            }
        }

        using var dir = new TempDir();
        string path = dir.File("sw.pcap");
        WriteApdus(path, words.SelectMany(sw => new[] { (0, "00A4040000"), (1, sw.ToString("X4")) }));

        List<string[]> rows = Tshark.Fields(path, "nanoagent.apdu.direction == 1", "nanoagent.apdu.sw", "nanoagent.apdu.sw.meaning");
        Assert.Equal(words.Count, rows.Count);
        foreach (string[] row in rows)
        {
            ushort sw = Convert.ToUInt16(row[0], 16);
            Assert.Equal(StatusWordText.Meaning(sw), row[1]);
        }
    }

    [Fact]
    public void Se05xCommands_AreNamedWithTheirParametersAndTlvs()
    {
        using var dir = new TempDir();
        string path = dir.File("se05x.pcap");
        string inner = "8004002C" + "06" + "4104" + "01020304";                       // VerifySessionUserID, TAG_1 = the user id
        WriteApdus(path,
        [
            (0, "8004001B" + "06" + "4104" + "7DA00001"),                                // CreateSession, TAG_1 = auth object id
            (1, "41820008" + "0102030405060708" + "9000"),                               // TAG_1 = session id, long length form
            (0, "80050000" + "17" + "1008" + "0102030405060708" + "410B" + inner),       // ProcessSessionCmd around it
            (1, "9000"),
            (0, "80016100" + "0B" + "4104" + "00000010" + "420103" + "1100"),            // WriteECKey, key pair, curve P-256
            (1, "6A80"),
            (0, "80040020" + "00"),                                                      // GetVersion
            (1, "4107" + "0301006FFF010B" + "9000"),
            (0, "80220000" + "06" + "4104" + "00000010"),                                // attested read
            (1, "6985"),
        ]);

        List<string[]> rows = Tshark.Fields(path, null, "nanoagent.apdu.direction", "nanoagent.apdu.command", "nanoagent.apdu.p1.meaning", "nanoagent.apdu.p2.meaning",
            "nanoagent.apdu.se05x.tag", "nanoagent.apdu.se05x.value", "nanoagent.apdu.se05x.inner", "nanoagent.apdu.sw.meaning", "nanoagent.apdu.response_to.command");
        Assert.Equal(["SE05x CreateSession", "default", "SESSION_CREATE", "0x41", "7da00001"], rows[0][1..6]);
        Assert.Equal(["0x41", "0102030405060708", "success", "SE05x CreateSession"], [rows[1][4], rows[1][5], rows[1][7], rows[1][8]]);
        Assert.Equal("SE05x ProcessSessionCmd [SE05x VerifySessionUserID]|SE05x VerifySessionUserID", rows[2][1]); // outer, then inner
        Assert.Equal("SE05x VerifySessionUserID", rows[2][6]);
        Assert.Equal("0x10|0x41|0x41", rows[2][4]);                                       // SESSION_ID, TAG_1, then the inner command's TAG_1
        Assert.Equal(["SE05x WriteECKey", "EC key pair", "DEFAULT", "0x41|0x42|0x11"], rows[4][1..5]);
        Assert.Equal("incorrect parameters in the command data field", rows[5][7]);
        Assert.Equal(["SE05x GetVersion", "VERSION"], [rows[6][1], rows[6][3]]);
        Assert.Equal("0301006fff010b", rows[7][5]);
        Assert.Equal("SE05x ReadObject (READ attested)", rows[8][1]);
        Assert.Equal("conditions of use not satisfied", rows[9][7]);
        Assert.Contains("SE05x tag: TAG_1 (0x41)", Tshark.Run("-r", path, "-V"));
    }

    [Fact]
    public void ClassByte_GivesChannelSecureMessagingAndChaining()
    {
        using var dir = new TempDir();
        string path = dir.File("cla.pcap");
        WriteApdus(path,
        [
            (0, "0070000001"), (1, "029000"),                          // MANAGE CHANNEL open: channel 2 assigned
            (0, "02A4040000"), (1, "9000"),                            // SELECT on channel 2
            (0, "84F280000A" + "4F00" + "1122334455667788"), (1, "6982"), // GP SM (C-MAC), channel 0, no session seen
            (0, "E1F2400000"), (1, "9000"),                            // further interindustry, proprietary, SM: channel 5
            (0, "C6CA006600"), (1, "9000"),                            // further interindustry, proprietary: channel 10
            (0, "10E2000001AA"), (1, "9000"),                          // ISO class with the chaining bit
            (0, "0070800200"), (1, "9000"),                            // MANAGE CHANNEL close 2
        ]);

        List<string[]> rows = Tshark.Fields(path, "nanoagent.apdu.direction == 0", "nanoagent.apdu.command", "nanoagent.apdu.channel", "nanoagent.apdu.cla.sm",
            "nanoagent.apdu.cla.chaining", "nanoagent.apdu.scp03", "nanoagent.apdu.p1.meaning", "nanoagent.apdu.p2.meaning", "nanoagent.apdu.scp03.cmac");
        Assert.Equal(["MANAGE CHANNEL", "0", "0", "0", "", "open a logical channel", "the card assigns the number", ""], rows[0]);
        Assert.Equal(["SELECT", "2", "0", "0"], rows[1][..4]);
        Assert.Equal(["GET STATUS", "0", "1", "0", "1", "issuer security domain"], rows[2][..6]);
        Assert.Equal("1122334455667788", rows[2][7]);
        Assert.Equal(["GET STATUS", "5", "2", "0", "1"], rows[3][..5]);
        Assert.Equal(["GET DATA", "10", "0", "0", ""], rows[4][..5]);
        Assert.Equal(["APPEND RECORD", "0", "0", "1"], rows[5][..4]);                 // interindustry class: the ISO name
        Assert.Equal(["MANAGE CHANNEL", "0", "0", "0", "", "close a logical channel", "channel 2"], rows[6][..7]);
        Assert.Contains("SCP03 security level not seen in this capture", Tshark.Run("-r", path, "-V"));
    }

    [Fact]
    public void Se05xCommand_ThroughTheStack_IsNamed()
    {
        using var dir = new TempDir();
        string pcap = dir.File("apdu.pcap");
        CliRun run = CliRun.Of("se", "apdu", "--state", dir.File("se.json"), "--trace-file", pcap, "8004001B0641047DA00001");
        Assert.NotEqual(ExitCodes.InternalError, run.ExitCode);

        List<string[]> rows = Tshark.Fields(pcap, null, "nanoagent.apdu.command", "nanoagent.apdu.se05x.tag", "nanoagent.apdu.sw.meaning");
        Assert.Equal(["SE05x CreateSession", "0x41"], rows[0][..2]);
        Assert.NotEmpty(rows[1][2]);
    }

    [Fact]
    public void OldFramesCapture_WithoutProtocol_IsGuessedFromTheNad()
    {
        using var dir = new TempDir();
        string path = dir.File("old.frames.pcap");
        using (var pcap = new PcapWriter(File.Create(path), PcapCapture.FramesLinkType, ownsStream: true))
        {
            // Header bytes 00 and 01: what --trace-file wrote before the protocol nibble.
            pcap.Write(Start, [0x00, .. T1Frames.Se05x(0x5A, 0xC0)]);
            pcap.Write(Start, [0x01, .. T1Frames.Se05x(0xA5, 0xE0)]);
            pcap.Write(Start, [0x00, .. T1Frames.Gp(0x21, 0x00, "00A4040000")]);
            pcap.Write(Start, [0x01, .. T1Frames.Gp(0x12, 0x00, "9000")]);
        }

        List<string[]> rows = Tshark.Fields(path, null, "nanoagent.t1.protocol", "nanoagent.t1.protocol.guessed", "nanoagent.t1.len", "nanoagent.t1.crc.status", "nanoagent.t1.s_name");
        Assert.Equal(["0", "NXP SE05x T=1 over I2C", "0", "1", "RESYNCH"], rows[0]);
        Assert.Equal(["0", "NXP SE05x T=1 over I2C", "0", "1", "RESYNCH"], rows[1]);
        Assert.Equal(["0", "GlobalPlatform T=1' over I2C", "5", "1", ""], rows[2]);
        Assert.Equal(["0", "GlobalPlatform T=1' over I2C", "2", "1", ""], rows[3]);
    }

    [Fact]
    public void BadFrames_AreFlaggedNotDecodedAsGood()
    {
        using var dir = new TempDir();
        string path = dir.File("bad.frames.pcap");
        byte[] lying = T1Frames.Se05x(0x5A, 0x00, "00A4040000");
        lying[2] = 9; // LEN says 9, 5 bytes follow
        using (var pcap = new PcapWriter(File.Create(path), PcapCapture.FramesLinkType, ownsStream: true))
        {
            pcap.Write(Start, [PcapCapture.HeaderByte(FrameDirection.HostToSe, CaptureProtocol.Se05xI2c), 0x5A, 0x00]);   // truncated
            pcap.Write(Start, [PcapCapture.HeaderByte(FrameDirection.HostToSe, CaptureProtocol.Se05xI2c), .. lying]);
            pcap.Write(Start, [PcapCapture.HeaderByte(FrameDirection.SeToHost, CaptureProtocol.GpI2c), .. T1Frames.Gp(0x5A, 0x00, "9000")]); // wrong NAD
            pcap.Write(Start, [PcapCapture.HeaderByte(FrameDirection.HostToSe, CaptureProtocol.GpI2c)]);                  // nothing after the header
        }

        string[] experts = [.. Tshark.Fields(path, null, "_ws.expert.message").Select(r => r[0])];
        Assert.Contains("shorter than prologue and CRC", experts[0]);
        Assert.Contains("LEN 9 but 5 INF bytes present", experts[1]);
        Assert.Contains("Bad CRC", experts[1]);
        Assert.Contains("NAD 5A, expected 12", experts[2]);
        Assert.Contains("shorter than prologue and CRC", experts[3]);
    }

    [Fact]
    public void BadApdus_AreFlaggedAsMalformed()
    {
        using var dir = new TempDir();
        string path = dir.File("bad.pcap");
        WriteApdus(path, [(0, "00A404"), (1, "90"), (0, "00A4040009A0000001"), (1, "6A82"), (0, "80CA00660000"), (1, "9000")]);

        List<string[]> rows = Tshark.Fields(path, null, "_ws.expert.message");
        Assert.Contains("CLA INS P1 P2", rows[0][0]);
        Assert.Contains("two status word bytes", rows[1][0]);
        Assert.Contains("Lc and length disagree", rows[2][0]);
        Assert.Contains("6A82: file or application not found", rows[3][0]);
        Assert.Contains("Lc and length disagree", rows[4][0]);
    }

    [Fact]
    public void RandomBytes_NeverMakeALuaError()
    {
        // Property: whatever the bytes, both dissectors finish every packet (Tshark.Run fails on "Lua Error").
        Gen.Select(Gen.Byte.Array[0, 40].List[40, 80], Gen.Byte.Array[0, 300].List[20, 40]).Sample((frames, apdus) =>
        {
            using var dir = new TempDir();
            string framesPath = dir.File("r.frames.pcap");
            string apduPath = dir.File("r.pcap");
            using (var pcap = new PcapWriter(File.Create(framesPath), PcapCapture.FramesLinkType, ownsStream: true))
            {
                foreach (byte[] f in frames)
                {
                    pcap.Write(Start, f);
                }
            }

            using (var pcap = new PcapWriter(File.Create(apduPath), PcapCapture.ApduLinkType, ownsStream: true))
            {
                foreach (byte[] a in apdus)
                {
                    pcap.Write(Start, a);
                }
            }

            Assert.Contains("nanoAgent", Tshark.Run("-r", framesPath, "-2", "-V"));
            Tshark.Run("-r", apduPath, "-2", "-V");
        }, iter: 4, threads: 1);
    }

    private static void WriteApdus(string path, IEnumerable<(int Direction, string Hex)> apdus)
    {
        using var pcap = new PcapWriter(File.Create(path), PcapCapture.ApduLinkType, ownsStream: true);
        int i = 0;
        foreach ((int direction, string hex) in apdus)
        {
            FrameDirection d = direction == 0 ? FrameDirection.HostToSe : FrameDirection.SeToHost;
            pcap.Write(Start.AddMilliseconds(i++), [PcapCapture.HeaderByte(d, CaptureProtocol.Se05xI2c), 1, .. Hex.Parse(hex)]);
        }
    }
}

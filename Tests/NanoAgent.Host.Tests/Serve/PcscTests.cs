using System.Security.Cryptography;
using NanoAgent.Drivers.Apdu;
using NanoAgent.Drivers.Host.Crypto;
using NanoAgent.Drivers.Scp03;
using NanoAgent.VirtualSe.State;

namespace NanoAgent.Host.Tests.Serve;

// PC/SC through the real programs: Debian's pcscd with vsmartcard's vpcd driver (a private instance, see PrivatePcscd),
// `nanoagent serve --vpcd PORT` as the card, and pcsc_scan, opensc-tool and python3-pyscard as the lab's tools.
public sealed class PcscTests : IDisposable
{
    private readonly PrivatePcscd _pcscd = new();
    private readonly ServeProcess _serve;

    public PcscTests()
    {
        _serve = ServeProcess.Start("--state", _pcscd.Dir.File("se.json"), "--vpcd", "127.0.0.1:" + _pcscd.VpcdPort);
        try
        {
            _serve.WaitFor("vpcd: connected to");
            _pcscd.WaitForCard();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _serve.Dispose();
        _pcscd.Dispose();
    }

    [Fact]
    public void PcscScan_SeesTheReaderWithTheCardAndItsAtr()
    {
        // -n: no ATR analysis (it would fetch an ATR list from the network); -t 3: stop after three seconds.
        var (exit, output) = _pcscd.Run("pcsc_scan", null, "-n", "-t", "3");
        Assert.Equal(0, exit);
        Assert.Contains("nanoAgent test 00 00", output);
        Assert.Contains("Card inserted", output);
        // The virtual SE05x's historical bytes "JCOP4 ATPO" in the ISO ATR 3B 8A 01 <HB> TCK (Host/Se/IsoAtr.cs).
        Assert.Contains("ATR: 3B 8A 01 4A 43 4F 50 34 20 41 54 50 4F 83", output);
    }

    [Fact]
    public void OpenscTool_SelectOfTheIsd_Answers9000()
    {
        var (exit, output) = _pcscd.Run("opensc-tool", null, "--reader", "0", "--send-apdu", "00A4040000");
        Assert.Equal(0, exit);
        Assert.Contains("Received (SW1=0x90, SW2=0x00)", output);
        Assert.Contains("A0 00 00 01 51 00 00 00", output); // the ISD's AID in the FCI
    }

    [Fact]
    public void Scriptor_SendsAScriptOfApdus()
    {
        var (exit, output) = _pcscd.Run("scriptor", "00 A4 04 00 00\n80 CA 9F 7F 00\n", "-r", "nanoAgent test 00 00");
        Assert.Equal(0, exit);
        Assert.Contains("Using T=1 protocol", output);
        Assert.Equal(2, output.Split('\n').Count(l => l.Contains("90 00 : Normal processing.", StringComparison.Ordinal)));
    }

    [Fact]
    public void Pyscard_GetStatusOverScp03_WithOurHostSession()
    {
        using var card = new PyscardPipe(_pcscd);
        Assert.Equal("3B8A014A434F5034204154504F83", card.Atr);
        var channel = new ApduChannel(card, 255, 256, 8);
        byte[] response = new byte[300];
        Assert.Equal(0x9000, Send(channel, Convert.FromHexString("00A4040000"), response));

        Scp03StaticKeys keys = Scp03StaticKeys.FromSingleKey(BouncyCastleAesFactory.Instance, CardState.InitialKeyVersion, CardState.InitialKey);
        var session = new Scp03HostSession(keys, 8);
        byte[] challenge = RandomNumberGenerator.GetBytes(8);
        byte[] command = new byte[300];
        int n = session.BuildInitializeUpdate(challenge, 0, command, 0);
        int r = channel.Transmit(command, 0, n, response, 0);
        session.ProcessInitializeUpdateResponse(response, 0, r);
        n = session.BuildExternalAuthenticate(0x33, command, 0);
        r = channel.Transmit(command, 0, n, response, 0);
        session.ProcessExternalAuthenticateResponse(response, 0, r);

        // GPC v2.3.1 §11.4: GET STATUS of the ISD (P1 80), TLV format (P2 02), search criterion 4F 00.
        byte[] getStatus = Convert.FromHexString("80F28002024F0000");
        n = session.Wrap(getStatus, 0, getStatus.Length, command, 0);
        r = channel.Transmit(command, 0, n, response, 0);
        byte[] plain = new byte[300];
        int p = session.Unwrap(response, 0, r, plain, 0);

        Assert.Equal(0x9000, StatusWord.Read(plain, 0, p));
        Assert.Contains("4F08A000000151000000", Convert.ToHexString(plain, 0, p - 2)); // E3 { 4F the ISD's AID ... }
        Assert.StartsWith("84F2", card.Sent[^1]); // it crossed PC/SC wrapped (CLA 84)
    }

    private static ushort Send(ApduChannel channel, byte[] command, byte[] response)
    {
        int n = channel.Transmit(command, 0, command.Length, response, 0);
        return StatusWord.Read(response, 0, n);
    }
}

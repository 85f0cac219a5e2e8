using System.Diagnostics;
using NanoAgent.Drivers.Apdu;

namespace NanoAgent.Host.Tests.Serve;

/// <summary>
/// Debian's <c>/usr/bin/python3</c> with python3-pyscard connected to the test's pcscd reader, turned into an APDU pipe:
/// one hex command a line in, one hex response a line out. pyscard has no SCP03, so the test runs our SCP03 host code
/// over this pipe; what is under test is the card side reached through PC/SC.
/// </summary>
public sealed class PyscardPipe : IApduTransport, IDisposable
{
    private const string Script = """
        import sys
        from smartcard.System import readers
        reader = [r for r in readers() if 'nanoAgent' in str(r)][0]
        card = reader.createConnection()
        card.connect()
        print('ATR ' + bytes(card.getATR()).hex().upper(), flush=True)
        for line in sys.stdin:
            data, sw1, sw2 = card.transmit(list(bytes.fromhex(line.strip())))
            print((bytes(data) + bytes([sw1, sw2])).hex().upper(), flush=True)
        """;

    private readonly Process _python;

    public PyscardPipe(PrivatePcscd pcscd)
    {
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.Environment["PCSCLITE_CSOCK_NAME"] = pcscd.SocketPath;
        info.ArgumentList.Add("-u");
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Script);
        _python = Process.Start(info) ?? throw new InvalidOperationException("python3 did not start");
        _python.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (Errors) { Errors.Add(e.Data); } } };
        _python.BeginErrorReadLine();
        string? first = _python.StandardOutput.ReadLine();
        Assert.True(first is not null && first.StartsWith("ATR ", StringComparison.Ordinal), "pyscard did not connect: " + string.Join('\n', Errors));
        Atr = first[4..];
    }

    public List<string> Errors { get; } = [];

    public string Atr { get; }

    public List<string> Sent { get; } = [];

    public int Transceive(byte[] command, int commandOffset, int commandCount, byte[] response, int responseOffset)
    {
        string hex = Convert.ToHexString(command, commandOffset, commandCount);
        Sent.Add(hex);
        _python.StandardInput.WriteLine(hex);
        _python.StandardInput.Flush();
        string? line = _python.StandardOutput.ReadLine();
        Assert.True(line is not null, "pyscard ended: " + string.Join('\n', Errors));
        byte[] bytes = Convert.FromHexString(line);
        bytes.CopyTo(response, responseOffset);
        return bytes.Length;
    }

    public void Dispose()
    {
        _python.StandardInput.Close();
        if (!_python.WaitForExit(10_000))
        {
            _python.Kill();
        }

        _python.Dispose();
    }
}

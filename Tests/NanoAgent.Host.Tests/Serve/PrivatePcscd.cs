using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace NanoAgent.Host.Tests.Serve;

/// <summary>
/// pcscd (Debian pcscd 1.9) with vsmartcard's vpcd driver, as a private instance: pcscd has its socket and pid file at
/// the compiled-in /run/pcscd and refuses to start when another one runs there, so this one runs in its own mount
/// namespace (util-linux <c>unshare --mount</c>, root only, as CI runs) with a temporary folder bound over /run; clients
/// find its socket through <c>PCSCLITE_CSOCK_NAME</c>, which libpcsclite reads. Its reader.conf.d holds one vpcd reader
/// on a free port pair (vpcd opens the port and the next one, one per slot). Killed on dispose.
/// </summary>
public sealed class PrivatePcscd : IDisposable
{
    private readonly Process _pcscd;

    public PrivatePcscd()
    {
        Directory.CreateDirectory(Path.Combine(Dir.Path, "conf"));
        Directory.CreateDirectory(Path.Combine(Dir.Path, "run"));
        VpcdPort = FreePortPair();
        File.WriteAllText(Path.Combine(Dir.Path, "conf", "vpcd"), $"""
            FRIENDLYNAME "nanoAgent test"
            DEVICENAME   /dev/null:0x{VpcdPort:X4}
            LIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so
            CHANNELID    0x{VpcdPort:X4}
            """);
        var info = new ProcessStartInfo("unshare") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { "--mount", "--propagation", "private", "sh", "-c",
            $"mount --bind '{Path.Combine(Dir.Path, "run")}' /run && exec pcscd --foreground --config '{Path.Combine(Dir.Path, "conf")}'" })
        {
            info.ArgumentList.Add(arg);
        }

        _pcscd = Process.Start(info) ?? throw new InvalidOperationException("unshare did not start");
        _pcscd.OutputDataReceived += (_, _) => { };
        _pcscd.ErrorDataReceived += (_, _) => { };
        _pcscd.BeginOutputReadLine();
        _pcscd.BeginErrorReadLine();
        SocketPath = Path.Combine(Dir.Path, "run", "pcscd", "pcscd.comm");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        try
        {
            while (!File.Exists(SocketPath))
            {
                Assert.False(_pcscd.HasExited, "pcscd in its own mount namespace did not start (needs root for unshare --mount, and Debian's pcscd and vsmartcard-vpcd)");
                Assert.True(DateTime.UtcNow < deadline, "pcscd did not create its socket");
                Thread.Sleep(50);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public TempDir Dir { get; } = new();

    /// <summary>Gets the port vpcd listens on for the card side (slot 0).</summary>
    public int VpcdPort { get; }

    /// <summary>Gets the client socket, for <c>PCSCLITE_CSOCK_NAME</c>.</summary>
    public string SocketPath { get; }

    /// <summary>Waits until pcscd reports a card in the reader's first slot (its polling thread finds it within a second or so).</summary>
    public void WaitForCard()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var (_, output) = Run("opensc-tool", null, "--list-readers");
            if (output.Split('\n').Any(l => l.Contains("nanoAgent test 00 00", StringComparison.Ordinal) && l.Contains("Yes", StringComparison.Ordinal)))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "pcscd never saw the card:\n" + output);
            Thread.Sleep(200); // polling pcscd's state, not timing an assertion
        }
    }

    /// <summary>Runs a PC/SC client program against this pcscd; returns its exit code and output.</summary>
    public (int ExitCode, string Output) Run(string program, string? input, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        info.Environment["PCSCLITE_CSOCK_NAME"] = SocketPath;
        info.Environment["HOME"] = Dir.Path; // keeps pcsc_scan's ATR list cache out of the real home
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException(program + " did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            process.StandardInput.Write(input);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail(program + " did not end within 60 s");
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.GetAwaiter().GetResult() + stderr.GetAwaiter().GetResult());
    }

    public void Dispose()
    {
        if (!_pcscd.HasExited)
        {
            _pcscd.Kill();
            _pcscd.WaitForExit(5000);
        }

        _pcscd.Dispose();
        Dir.Dispose();
    }

    private static int FreePortPair()
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            var first = new TcpListener(IPAddress.Any, 0);
            first.Start();
            int port = ((IPEndPoint)first.LocalEndpoint).Port;
            try
            {
                if (port >= 65535)
                {
                    continue;
                }

                var second = new TcpListener(IPAddress.Any, port + 1);
                second.Start();
                second.Stop();
                return port;
            }
            catch (SocketException)
            {
            }
            finally
            {
                first.Stop();
            }
        }

        throw new InvalidOperationException("no two free TCP ports in a row");
    }
}

using System.CommandLine;
using NanoAgent.Host.Diag;

namespace NanoAgent.Host.Cli;

/// <summary><c>--trace</c> and <c>--trace-file</c>: print every block-protocol frame, decoded, to stderr or a file, or capture it as pcap (<see cref="PcapCapture"/>).</summary>
public sealed class TraceOptions
{
    /// <summary>Gets the option that prints the frame trace to stderr.</summary>
    public Option<bool> Trace { get; } = new("--trace")
    {
        Description = "print every block-protocol frame, decoded (NAD, PCB, LEN, INF, CRC, time), to stderr",
    };

    /// <summary>Gets the option that writes the frame trace to a file.</summary>
    public Option<string?> TraceFile { get; } = new("--trace-file")
    {
        Description = "write the frame trace to this file (to attach to a bug report); a name ending in .pcap writes the APDUs as a Wireshark capture and the raw frames to NAME.frames.pcap (open both with the dissector nanoagent.lua next to this program)",
    };

    /// <summary>Gets the option that picks the APDU capture's link type.</summary>
    public Option<string> TraceLink { get; } = new("--trace-link")
    {
        Description = "link type of the .pcap APDU capture: nanoagent (USER1, decoded by nanoagent.lua) or iso14443 (Wireshark's own ISO 7816 dissector through Decode As, no Lua needed)",
        DefaultValueFactory = _ => "nanoagent",
    };

    /// <summary>Adds the options to a command.</summary>
    /// <param name="command">The command.</param>
    public void AddTo(Command command)
    {
        command.Add(Trace);
        command.Add(TraceFile);
        command.Add(TraceLink);
        TraceLink.AcceptOnlyFromAmong("nanoagent", "iso14443");
    }

    /// <summary>Creates the trace writer the command line asks for.</summary>
    /// <param name="parse">The parse result.</param>
    /// <param name="protocol">"se05x" or "gp", for decoding.</param>
    /// <param name="spi">True when the SE is on SPI (recorded in a pcap capture).</param>
    /// <param name="extra">Another capture that receives every frame (the <c>diag --html</c> timeline), or null.</param>
    /// <returns>The writer, or null when no trace was asked for.</returns>
    /// <exception cref="IOException">The trace file cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">The trace file cannot be created.</exception>
    public FrameTraceWriter? Open(ParseResult parse, string protocol, bool spi = false, IFrameCapture? extra = null)
    {
        var writers = new List<TextWriter>();
        if (parse.GetValue(Trace))
        {
            writers.Add(new NonClosing(parse.InvocationConfiguration.Error));
        }

        var captures = new List<IFrameCapture>();
        if (parse.GetValue(TraceFile) is { } path)
        {
            if (PcapCapture.IsPcapPath(path))
            {
                PcapApduLink link = parse.GetValue(TraceLink) == "iso14443" ? PcapApduLink.Iso14443 : PcapApduLink.NanoAgent;
                captures.Add(new PcapCapture(path, PcapCapture.ProtocolOf(protocol, spi), link));
            }
            else
            {
                writers.Add(new StreamWriter(path, append: false));
            }
        }

        if (extra is not null)
        {
            captures.Add(extra);
        }

        return writers.Count == 0 && captures.Count == 0 ? null : new FrameTraceWriter(protocol, ownsWriters: true, captures, [.. writers]);
    }

    /// <summary>Passes lines to stderr without closing it when the trace ends.</summary>
    private sealed class NonClosing(TextWriter inner) : TextWriter
    {
        public override System.Text.Encoding Encoding => inner.Encoding;

        public override void Write(char value) => inner.Write(value);

        public override void WriteLine(string? value) => inner.WriteLine(value);

        public override void Flush() => inner.Flush();
    }
}

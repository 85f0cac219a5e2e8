using System.CommandLine;
using NanoAgent.Host.Se;

namespace NanoAgent.Host.Cli;

/// <summary>The options every command that touches the SE shares: which bus, address, protocol and virtual state.</summary>
public sealed class SeTargetOptions
{
    /// <summary>Gets the I2C bus option.</summary>
    public Option<string?> Bus { get; } = new("--bus")
    {
        Description = "I2C device node of a real SE, e.g. /dev/i2c-1 (default: the virtual SE)",
    };

    /// <summary>Gets the SPI bus option.</summary>
    public Option<string?> Spi { get; } = new("--spi")
    {
        Description = "SPI device node of a real GP SE, e.g. /dev/spidev0.0, or 'virtual' for the virtual SE on SPI",
    };

    /// <summary>Gets the I2C address option.</summary>
    public Option<string> Address { get; } = new("--addr")
    {
        Description = "7-bit I2C address of the SE",
        DefaultValueFactory = _ => "0x48",
    };

    /// <summary>Gets the protocol option.</summary>
    public Option<string?> Protocol { get; } = new("--protocol")
    {
        Description = "block protocol: se05x (NXP T=1 over I2C) or gp (GlobalPlatform T=1'); default se05x on I2C, gp on SPI",
    };

    /// <summary>Gets the virtual SE state option.</summary>
    public Option<string?> State { get; } = new("--state")
    {
        Description = "state file of the virtual SE (default ~/.nanoagent/virtual-se.json)",
    };

    /// <summary>Gets the virtual card option.</summary>
    public Option<string> Card { get; } = new("--card")
    {
        Description = "card of the virtual SE: gp (GP card manager, our applets) or se05x (NXP SE05x IoT applet; SE05x T=1 over I2C only)",
        DefaultValueFactory = _ => "gp",
    };

    /// <summary>Gets the virtual SE05x's applet version option.</summary>
    public Option<int?> Applet { get; } = new("--applet")
    {
        Description = "applet major version of a new virtual SE05x: 3 (SE050, 892-byte payloads, the default) or 7 (SE051, 1024)",
    };

    /// <summary>Gets the frame trace options (<c>--trace</c>, <c>--trace-file</c>).</summary>
    public TraceOptions Trace { get; } = new();

    /// <summary>Adds the options to a command.</summary>
    /// <param name="command">The command.</param>
    public void AddTo(Command command)
    {
        command.Add(Bus);
        command.Add(Spi);
        command.Add(Address);
        command.Add(Protocol);
        command.Add(State);
        command.Add(Card);
        command.Add(Applet);
        Trace.AddTo(command);
        Protocol.AcceptOnlyFromAmong("se05x", "gp");
        Card.AcceptOnlyFromAmong("gp", "se05x");
    }

    /// <summary>Reads the target from a parse result.</summary>
    /// <param name="parse">The parse result.</param>
    /// <returns>The target.</returns>
    /// <exception cref="FormatException">The address is not a 7-bit address, both --bus and --spi are given, or
    /// --card se05x meets a GP protocol or a bad --applet.</exception>
    public SeTarget Read(ParseResult parse)
    {
        if (parse.GetValue(Bus) is not null && parse.GetValue(Spi) is not null)
        {
            throw new FormatException("give either --bus (I2C) or --spi, not both");
        }

        string card = parse.GetValue(Card) ?? "gp";
        if (card == "se05x" && (parse.GetValue(Spi) is not null || parse.GetValue(Protocol) == "gp"))
        {
            throw new FormatException("the SE05x card speaks SE05x T=1 over I2C only: drop --spi and --protocol gp, or use --card gp");
        }

        if (parse.GetValue(Applet) is { } applet && (applet is not (3 or 7) || card != "se05x"))
        {
            throw new FormatException("--applet takes 3 (SE050) or 7 (SE051), with --card se05x");
        }

        return new()
        {
            I2cBus = parse.GetValue(Bus),
            SpiBus = parse.GetValue(Spi),
            Address = SeTarget.ParseAddress(parse.GetValue(Address) ?? "0x48"),
            Protocol = parse.GetValue(Protocol),
            StatePath = parse.GetValue(State) ?? SeTarget.DefaultStatePath(),
            Card = card,
            AppletMajor = parse.GetValue(Applet),
        };
    }
}

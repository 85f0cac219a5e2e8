using System.CommandLine;
using NanoAgent.Boards;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Cli;

/// <summary><c>nanoagent boards list|show</c>: the supported boards and their wiring tables (Boards/).</summary>
public static class BoardsCommand
{
    /// <summary>Builds the command.</summary>
    /// <returns>The command.</returns>
    public static Command Build()
    {
        var boards = new Command("boards", "Supported boards: pin maps, bus settings and SE wiring.");

        var listJson = new Option<bool>("--json") { Description = "print the boards as JSON (docs/json.md)" };
        var list = new Command("list", "List the boards nanoAgent has pin maps for.");
        list.Add(listJson);
        list.SetAction(parse =>
        {
            TextWriter output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(listJson))
            {
                var boards = new List<object>();
                for (int i = 0; i < BoardCatalog.Count; i++)
                {
                    BoardDefinition b = BoardCatalog.GetAt(i);
                    boards.Add(new { b.Id, b.Name, b.NanoTarget });
                }

                JsonReport.Write(output, "boards list", ExitCodes.Ok, new { Boards = boards });
                return ExitCodes.Ok;
            }

            for (int i = 0; i < BoardCatalog.Count; i++)
            {
                BoardDefinition board = BoardCatalog.GetAt(i);
                output.WriteLine($"{board.Id,-22} {board.Name,-28} nanoFramework target {board.NanoTarget}");
            }

            return ExitCodes.Ok;
        });

        var id = new Argument<string>("board") { Description = "board id, e.g. esp32-devkitc (see boards list)" };
        var showJson = new Option<bool>("--json") { Description = "print the board's pins, buses and firmware needs as JSON (docs/json.md)" };
        var show = new Command("show", "Print a board's wiring table for an SE05x on I2C and a GP SE on SPI, and what its firmware must contain.");
        show.Add(id);
        show.Add(showJson);
        show.SetAction(parse =>
        {
            BoardDefinition? board = BoardCatalog.Find(parse.GetValue(id) ?? string.Empty);
            if (board is null)
            {
                parse.InvocationConfiguration.Error.WriteLine($"unknown board '{parse.GetValue(id)}': known boards are {BoardCatalog.DescribeIds()}");
                return ExitCodes.Usage;
            }

            if (parse.GetValue(showJson))
            {
                JsonReport.Write(parse.InvocationConfiguration.Output, "boards show", ExitCodes.Ok, Describe(board));
                return ExitCodes.Ok;
            }

            parse.InvocationConfiguration.Output.Write(WiringTable.Render(board));
            parse.InvocationConfiguration.Output.Write("\n" + FirmwareTable.Render(board));
            return ExitCodes.Ok;
        });

        boards.Add(list);
        boards.Add(show);
        return boards;
    }

    // The data of boards show --json: what the wiring and firmware tables print, as fields.
    private static object Describe(BoardDefinition b)
    {
        var required = new List<object>();
        for (int i = 0; i < b.Firmware.RequiredCount; i++)
        {
            NativeRequirement r = b.Firmware.RequiredAt(i);
            required.Add(new { r.Assembly, r.UsedFor, r.HowToGet });
        }

        return new
        {
            b.Id, b.Name, b.NanoTarget, b.SeI2cAddress,
            I2c = new { b.I2c.BusId, Sda = Pin(b.I2c.Sda), Scl = Pin(b.I2c.Scl), b.I2c.SpeedHz },
            Spi = new { b.Spi.BusId, Mosi = Pin(b.Spi.Mosi), Miso = Pin(b.Spi.Miso), Sck = Pin(b.Spi.Sck), ChipSelect = Pin(b.Spi.ChipSelect), b.Spi.ClockHz },
            SeEnable = Pin(b.SeEnable), SeReset = Pin(b.SeReset), Sensor = Pin(b.Sensor), Relay = Pin(b.Relay),
            b.Supply3v3, b.Ground, b.Notes,
            Firmware = new { b.Firmware.StorageRoot, b.Firmware.StorageNote, b.Firmware.ConfigPath, b.Firmware.MaxAesKeyLength, Required = required },
        };
    }

    private static object Pin(BoardPin pin) => new { pin.Number, pin.Name, pin.Header };
}

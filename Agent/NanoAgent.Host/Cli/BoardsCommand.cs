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

        var list = new Command("list", "List the boards nanoAgent has pin maps for.");
        list.SetAction(parse =>
        {
            TextWriter output = parse.InvocationConfiguration.Output;
            for (int i = 0; i < BoardCatalog.Count; i++)
            {
                BoardDefinition board = BoardCatalog.GetAt(i);
                output.WriteLine($"{board.Id,-22} {board.Name,-28} nanoFramework target {board.NanoTarget}");
            }

            return ExitCodes.Ok;
        });

        var id = new Argument<string>("board") { Description = "board id, e.g. esp32-devkitc (see boards list)" };
        var show = new Command("show", "Print a board's wiring table for an SE05x on I2C and a GP SE on SPI, and what its firmware must contain.");
        show.Add(id);
        show.SetAction(parse =>
        {
            BoardDefinition? board = BoardCatalog.Find(parse.GetValue(id) ?? string.Empty);
            if (board is null)
            {
                parse.InvocationConfiguration.Error.WriteLine($"unknown board '{parse.GetValue(id)}': known boards are {BoardCatalog.DescribeIds()}");
                return ExitCodes.Usage;
            }

            parse.InvocationConfiguration.Output.Write(WiringTable.Render(board));
            parse.InvocationConfiguration.Output.Write("\n" + FirmwareTable.Render(board));
            return ExitCodes.Ok;
        });

        boards.Add(list);
        boards.Add(show);
        return boards;
    }
}

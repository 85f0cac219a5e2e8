using System.CommandLine;
using NanoAgent.Host.Demo;
using NanoAgent.Host.Common;

namespace NanoAgent.Host.Cli;

/// <summary><c>nanoagent demo</c>: the whole system on this PC, start to finish, with a summary table.</summary>
public static class DemoCommand
{
    /// <summary>Builds the command.</summary>
    /// <returns>The command.</returns>
    public static Command Build()
    {
        var dir = new Option<string?>("--dir") { Description = "folder for the demo's SE state, keys and stores (default: a new temporary folder)" };
        var json = new Option<bool>("--json") { Description = "print the checks as JSON (docs/json.md)" };
        var card = new Option<string>("--card")
        {
            Description = "the virtual SE's card: gp (GP card with nanoAgent's applets) or se05x (NXP SE05x, IoT applet only; docs/se05x.md)",
            DefaultValueFactory = _ => "gp",
        };
        card.AcceptOnlyFromAmong("gp", "se05x");
        var command = new Command("demo", "Run the whole system here: broker, virtual SE, agent, the device owner and two tenants' backends (SCP03 scripts, isolation, gated readings and commands).");
        command.Add(dir);
        command.Add(json);
        command.Add(card);
        command.SetAction(parse =>
        {
            string folder = parse.GetValue(dir) ?? Path.Combine(Path.GetTempPath(), "nanoagent-demo-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss"));
            if (File.Exists(folder))
            {
                throw new InputFileException(folder, "is a file; --dir names a folder for the demo (empty or new)");
            }

            if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            {
                parse.InvocationConfiguration.Error.WriteLine($"{folder} is not empty: the demo starts from a fresh SE; give an empty or new --dir");
                return ExitCodes.Usage;
            }

            TextWriter output = parse.InvocationConfiguration.Output;
            IReadOnlyList<DemoCheck> checks;
            int result;
            if (parse.GetValue(card) == "se05x")
            {
                var se05x = new Se05xDemoRunner(output, folder);
                result = se05x.Run();
                checks = se05x.Checks;
            }
            else
            {
                var gp = new DemoRunner(output, folder);
                result = gp.Run();
                checks = gp.Checks;
            }

            int exit = result == 0 ? ExitCodes.Ok : ExitCodes.Failed;
            if (parse.GetValue(json))
            {
                JsonReport.Write(output, "demo", exit, new { Dir = folder, Card = parse.GetValue(card), Checks = checks });
            }

            return exit;
        });
        return command;
    }
}

using System.Text;

namespace NanoAgent.Host.Tests.Docs;

/// <summary>Runs a document's commands (<see cref="DocScript"/>) in one <see cref="ShellSession"/>, asserting each one's exit
/// code and the texts it must print; a failure names the document line and shows the output and the logs written so far.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public static class DocRunner
{
    public static void RunAll(string document, string markdown, string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan perCommand)
    {
        IReadOnlyList<DocCommand> commands = DocScript.Parse(markdown);
        Assert.NotEmpty(commands);
        using var shell = new ShellSession(workingDirectory, environment);
        var done = new StringBuilder();
        foreach (DocCommand command in commands)
        {
            int exit;
            string output;
            try
            {
                (exit, output) = shell.Run(command.Text, perCommand);
            }
            catch (TimeoutException e)
            {
                Assert.Fail($"{document}:{command.Line}: {e.Message}\n{command.Text}\n{Logs(workingDirectory)}");
                return;
            }

            string where = $"{document}:{command.Line}: `{command.Text}` exited {exit}, expected {command.ExpectedExit}\n--- its output:\n{output}\n--- earlier commands:\n{done}{Logs(workingDirectory)}";
            Assert.True(exit == command.ExpectedExit, where);
            foreach (string text in command.ExpectedOutput)
            {
                Assert.True(output.Contains(text, StringComparison.Ordinal), $"{document}:{command.Line}: the output lacks \"{text}\"\n{where}");
            }

            done.Append($"{command.Line}: {command.Text.Split('\n')[0]} -> {exit}\n");
        }
    }

    // The logs the document's background processes write (agent.log, broker.log, mosquitto.log), anywhere under its folder.
    private static string Logs(string folder)
    {
        var text = new StringBuilder();
        foreach (string log in Directory.EnumerateFiles(folder, "*.log", SearchOption.AllDirectories))
        {
            string[] lines = File.ReadAllLines(log);
            text.Append($"--- {log} (last 40 lines)\n").AppendJoin('\n', lines.Skip(Math.Max(0, lines.Length - 40))).Append('\n');
        }

        return text.ToString();
    }
}
